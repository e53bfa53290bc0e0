package io.waybill.opsapi;

import io.waybill.domain.coldchain.TemperatureBand;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A shipment's readings arranged for a per-probe temperature plot: each probe's points in time order, the gaps where
 * its readings are further apart than the policy's maximum interpolation gap (drawn as gaps), and its excursions.
 * Plain Java; the readings come from the stored events ({@link ShipmentEventReadModel}).
 *
 * A reading is a point (one value at one instant) or a <b>window summary</b> (an edge or logger window from
 * {@code from} to {@code at} with its mean, minimum and maximum); a point is a window with no length and
 * min = max = mean.
 * <ul>
 *   <li>A <b>gap</b> is two consecutive readings of one probe whose coverage is strictly more than {@code maxGap}
 *       apart: from the end ({@code at}) of the first to the start ({@code from}) of the second. Exactly
 *       {@code maxGap} is no gap (the policy lets a reading hold that long).</li>
 *   <li>An <b>excursion</b> is a maximal run of consecutive readings of one probe strictly outside the band on the
 *       same side (a value on a bound is in range), judged on the reading's extremes: above when its maximum is above
 *       the band, below when its minimum is below it (a window that left the band on both sides counts on the side it
 *       left further, above on a tie). It runs from the start of the run's first reading to the end of its last, with
 *       the highest maximum of a run above and the lowest minimum of a run below. A gap ends a run (nothing is known
 *       in between), and so does a reading on the other side.</li>
 * </ul>
 * Without a band there are no excursions. Readings of one probe ending at the same instant are kept in the order
 * given.
 */
public final class TemperatureTrace {
    private TemperatureTrace() {
    }

    /**
     * One reading of one probe: a point, or a window summary.
     *
     * @param from       the window's start; {@code at} for a point
     * @param at         the window's end, or the point's instant
     * @param celsius    the value (a window's mean)
     * @param minCelsius the window's minimum; {@code celsius} for a point
     * @param maxCelsius the window's maximum; {@code celsius} for a point
     */
    public record Reading(String probe, Instant from, Instant at, double celsius, double minCelsius,
                          double maxCelsius) {
        public Reading {
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(at, "at");
            if (from.isAfter(at)) {
                throw new IllegalArgumentException("a reading's window ends before it starts: " + from + " > " + at);
            }
            if (!(minCelsius <= celsius && celsius <= maxCelsius)) {
                throw new IllegalArgumentException("min " + minCelsius + " <= celsius " + celsius + " <= max "
                        + maxCelsius + " does not hold");
            }
        }

        /** A point reading. */
        public Reading(String probe, Instant at, double celsius) {
            this(probe, at, at, celsius, celsius, celsius);
        }

        /** True for a window summary (it has a length or a spread). */
        public boolean window() {
            return !from.equals(at) || minCelsius != maxCelsius;
        }
    }

    /** Two instants, from no later than to. */
    public record Span(Instant from, Instant to) {
    }

    public enum Side { ABOVE, BELOW }

    public record Excursion(Instant from, Instant to, Side side, double peakCelsius) {
    }

    /** One probe's series, gaps and excursions. */
    public record Probe(String probe, List<Reading> points, List<Span> gaps, List<Excursion> excursions) {
        public Probe {
            points = List.copyOf(points);
            gaps = List.copyOf(gaps);
            excursions = List.copyOf(excursions);
        }
    }

    /**
     * @param band   the product class's band, or null when the shipment has no known class (no excursions then)
     * @param maxGap the policy's maximum interpolation gap, positive
     * @return one entry per probe, by probe name
     */
    public static List<Probe> of(Collection<Reading> readings, TemperatureBand band, Duration maxGap) {
        if (maxGap == null || maxGap.isNegative() || maxGap.isZero()) {
            throw new IllegalArgumentException("maxGap must be positive, was " + maxGap);
        }
        Map<String, List<Reading>> byProbe = new TreeMap<>();
        for (Reading r : readings) {
            byProbe.computeIfAbsent(r.probe(), p -> new ArrayList<>()).add(r);
        }
        List<Probe> out = new ArrayList<>(byProbe.size());
        byProbe.forEach((probe, list) -> {
            list.sort(Comparator.comparing(Reading::at)); // stable: same-instant readings keep their order
            out.add(probe(probe, list, band, maxGap));
        });
        return out;
    }

    private static Probe probe(String probe, List<Reading> points, TemperatureBand band, Duration maxGap) {
        List<Span> gaps = new ArrayList<>();
        List<Excursion> excursions = new ArrayList<>();
        Reading runStart = null;
        Reading runEnd = null;
        Side runSide = null;
        double peak = 0;
        Reading previous = null;
        for (Reading r : points) {
            boolean gap = previous != null && Duration.between(previous.at(), r.from()).compareTo(maxGap) > 0;
            if (gap) {
                gaps.add(new Span(previous.at(), r.from()));
            }
            Side side = side(r, band);
            if (runSide != null && (gap || side != runSide)) {
                excursions.add(new Excursion(runStart.from(), runEnd.at(), runSide, peak));
                runSide = null;
            }
            if (side != null) {
                double extreme = side == Side.ABOVE ? r.maxCelsius() : r.minCelsius();
                if (runSide == null) {
                    runSide = side;
                    runStart = r;
                    peak = extreme;
                } else {
                    peak = side == Side.ABOVE ? Math.max(peak, extreme) : Math.min(peak, extreme);
                }
                runEnd = r;
            }
            previous = r;
        }
        if (runSide != null) {
            excursions.add(new Excursion(runStart.from(), runEnd.at(), runSide, peak));
        }
        return new Probe(probe, points, gaps, excursions);
    }

    /** The side a reading left the band on, by its extremes; null when inside or without a band. */
    private static Side side(Reading r, TemperatureBand band) {
        if (band == null) {
            return null;
        }
        boolean above = band.isAbove(r.maxCelsius());
        boolean below = band.isBelow(r.minCelsius());
        if (above && below) {
            return r.maxCelsius() - band.highCelsius() >= band.lowCelsius() - r.minCelsius() ? Side.ABOVE : Side.BELOW;
        }
        return above ? Side.ABOVE : below ? Side.BELOW : null;
    }
}
