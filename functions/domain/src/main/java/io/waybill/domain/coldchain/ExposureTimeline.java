package io.waybill.domain.coldchain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a shipment's mixed temperature evidence into one step series of {@link ExposureReading}s that
 * {@link ExposureCalculator} measures: at every instant the temperature is taken from the most specific evidence that
 * covers it.
 * <ol>
 *   <li>an {@link ExposureEvidence.Kind#EXCURSION excursion} report covering the instant (several: the one furthest
 *       out of the band, then the warmest);</li>
 *   <li>otherwise the latest {@link ExposureEvidence.Kind#POINT point} reading, between the first and the last point
 *       reading (a point holds until the next one);</li>
 *   <li>otherwise a {@link ExposureEvidence.Kind#WINDOW window} summary covering the instant (several: the one
 *       furthest out of the band, then the warmest), its mean held over the window.</li>
 * </ol>
 * Time covered by no evidence between two covered stretches is held at the previous value (step interpolation, as
 * {@code ./waybill coldchain} does for a gap). The output has a reading wherever the value changes and a closing
 * reading at the end of the last evidence. Deterministic: the same evidence in any order, with duplicates (same
 * {@code evidenceId}), gives the same series. A sweep over the sorted boundaries: O(n log n) in the evidence.
 */
public final class ExposureTimeline {
    private ExposureTimeline() {
    }

    /** The step series for {@code evidence} (any order, duplicates allowed), judged against {@code band}. */
    public static List<ExposureReading> readings(Collection<ExposureEvidence> evidence, TemperatureBand band) {
        Objects.requireNonNull(band, "band");
        Map<String, ExposureEvidence> unique = new LinkedHashMap<>();
        evidence.stream().sorted(Comparator.comparing(ExposureEvidence::evidenceId))
                .forEach(e -> unique.putIfAbsent(e.evidenceId(), e));
        List<ExposureEvidence> excursions = new ArrayList<>();
        List<ExposureEvidence> windows = new ArrayList<>();
        TreeMap<Instant, Double> points = new TreeMap<>();
        TreeSet<Instant> boundaries = new TreeSet<>();
        for (ExposureEvidence e : unique.values()) {
            boundaries.add(e.start());
            boundaries.add(e.end());
            switch (e.kind()) {
                case EXCURSION -> excursions.add(e);
                case WINDOW -> windows.add(e);
                default -> points.merge(e.end(), e.celsius(), Math::max); // same time: the warmer, conservatively
            }
        }
        if (boundaries.isEmpty()) {
            return List.of();
        }
        Comparator<ExposureEvidence> byStart = Comparator.comparing(ExposureEvidence::start)
                .thenComparing(ExposureEvidence::evidenceId);
        excursions.sort(byStart);
        windows.sort(byStart);
        Comparator<ExposureEvidence> worstFirst = Comparator
                .comparingDouble((ExposureEvidence e) -> distanceOutside(band, e.celsius())).reversed()
                .thenComparing(Comparator.comparingDouble(ExposureEvidence::celsius).reversed())
                .thenComparing(ExposureEvidence::evidenceId);
        PriorityQueue<ExposureEvidence> activeExcursions = new PriorityQueue<>(worstFirst);
        PriorityQueue<ExposureEvidence> activeWindows = new PriorityQueue<>(worstFirst);
        Instant firstPoint = points.isEmpty() ? null : points.firstKey();
        Instant lastPoint = points.isEmpty() ? null : points.lastKey();

        List<ExposureReading> out = new ArrayList<>();
        int nextExcursion = 0;
        int nextWindow = 0;
        Double previous = null;
        List<Instant> instants = new ArrayList<>(boundaries);
        for (int i = 0; i + 1 < instants.size(); i++) {
            Instant a = instants.get(i);
            while (nextExcursion < excursions.size() && !excursions.get(nextExcursion).start().isAfter(a)) {
                activeExcursions.add(excursions.get(nextExcursion++));
            }
            while (nextWindow < windows.size() && !windows.get(nextWindow).start().isAfter(a)) {
                activeWindows.add(windows.get(nextWindow++));
            }
            Double value = covering(activeExcursions, a);
            if (value == null && firstPoint != null && !a.isBefore(firstPoint) && a.isBefore(lastPoint)) {
                value = points.floorEntry(a).getValue();
            }
            if (value == null) {
                value = covering(activeWindows, a);
            }
            if (value == null) {
                continue; // a gap: the previous value holds (the calculator's step semantics)
            }
            if (!value.equals(previous)) {
                out.add(new ExposureReading(a, value));
                previous = value;
            }
        }
        Instant last = instants.get(instants.size() - 1);
        if (previous == null) {
            // Only instants, no stretch of time: the point readings themselves (zero exposure, as one reading).
            points.forEach((t, c) -> out.add(new ExposureReading(t, c)));
            return List.copyOf(out);
        }
        if (lastPoint != null && lastPoint.equals(last) && out.get(out.size() - 1).time().isBefore(last)) {
            out.add(new ExposureReading(last, points.get(last))); // the last point reading closes the series
        } else if (out.get(out.size() - 1).time().isBefore(last)) {
            out.add(new ExposureReading(last, previous));
        }
        return List.copyOf(out);
    }

    /** The worst evidence covering {@code [a, next boundary)}: one that started at or before a and ends after it. */
    private static Double covering(PriorityQueue<ExposureEvidence> active, Instant a) {
        while (!active.isEmpty() && !active.peek().end().isAfter(a)) {
            active.poll(); // ended: it cannot cover this or any later interval
        }
        return active.isEmpty() ? null : active.peek().celsius();
    }

    /** How far outside the band, °C; 0 inside it. */
    static double distanceOutside(TemperatureBand band, double celsius) {
        if (band.isAbove(celsius)) {
            return celsius - band.highCelsius();
        }
        if (band.isBelow(celsius)) {
            return band.lowCelsius() - celsius;
        }
        return 0;
    }
}
