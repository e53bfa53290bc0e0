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
 * <ul>
 *   <li>A <b>gap</b> is two consecutive readings of one probe strictly more than {@code maxGap} apart: from the first
 *       to the second. Exactly {@code maxGap} apart is no gap (the policy lets a reading hold that long).</li>
 *   <li>An <b>excursion</b> is a maximal run of consecutive readings of one probe strictly outside the band on the
 *       same side (a reading on a bound is in range): from the run's first reading to its last, with the highest
 *       reading of a run above and the lowest of a run below. A gap ends a run (nothing is known in between), and so
 *       does a reading on the other side.</li>
 * </ul>
 * Without a band there are no excursions. Readings of one probe at the same instant are kept in the order given.
 */
public final class TemperatureTrace {
    private TemperatureTrace() {
    }

    /** One reading of one probe. */
    public record Reading(String probe, Instant at, double celsius) {
        public Reading {
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(at, "at");
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
            boolean gap = previous != null && Duration.between(previous.at(), r.at()).compareTo(maxGap) > 0;
            if (gap) {
                gaps.add(new Span(previous.at(), r.at()));
            }
            Side side = band == null ? null : band.isAbove(r.celsius()) ? Side.ABOVE
                    : band.isBelow(r.celsius()) ? Side.BELOW : null;
            if (runSide != null && (gap || side != runSide)) {
                excursions.add(new Excursion(runStart.at(), runEnd.at(), runSide, peak));
                runSide = null;
            }
            if (side != null) {
                if (runSide == null) {
                    runSide = side;
                    runStart = r;
                    peak = r.celsius();
                } else {
                    peak = side == Side.ABOVE ? Math.max(peak, r.celsius()) : Math.min(peak, r.celsius());
                }
                runEnd = r;
            }
            previous = r;
        }
        if (runSide != null) {
            excursions.add(new Excursion(runStart.at(), runEnd.at(), runSide, peak));
        }
        return new Probe(probe, points, gaps, excursions);
    }
}
