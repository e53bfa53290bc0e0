package io.waybill.domain.coldchain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The running exposure of one probe of one shipment: totals and a watermark, updated piece by piece, so a decision
 * costs the same on the first hour of a trip as on the thirtieth day.
 *
 * <p><b>The time line.</b> A probe's primary evidence (readings and summaries) is ordered by {@link TimelineMark#ORDER}.
 * Each piece contributes its own part ({@link #own}: a summary its statistics, or its mean over its window when it
 * has none; a reading only itself) and a link to the next piece ({@link TimelineMark#linkTo}: a reading holds until
 * the next piece for at most the policy's maximum interpolation gap, the rest is unknown; the gap after a summary is
 * unknown). The totals are the sum of all parts and links. A piece inserted between {@code prev} and {@code next}
 * adds its own part and its two links and removes the link {@code prev → next}: the totals change over the stretch
 * of time it touches only. The caller finds the neighbours: for evidence after the watermark ({@link #last()}) it is
 * the watermark itself and no next; for late evidence the stored pieces around it.
 *
 * <p><b>Excursion reports</b> stand in for time the exact evidence does not cover yet: an edge alert overtakes the
 * summary backlog. Their part after {@link #exactEnd()} is added to the figures ({@link #figures}), the worst report
 * where several overlap; once readings or summaries with statistics cover that time, they are the truth and the report
 * drops out. A summary without statistics (a mean) does not: the report is added on top of its mean, which a short
 * excursion barely moves (its time then counts twice in the observed time and MKT: the conservative side). Reports
 * always count for the maximum and minimum (their peaks were read).
 *
 * @param probeId       the probe
 * @param totals        the sum of the primary evidence's parts and links
 * @param minCelsius    lowest reading, summary minimum or report peak; null before any evidence
 * @param maxCelsius    highest; null before any evidence
 * @param firstTime     start of the earliest evidence
 * @param primaryEnd    the end of the time the primary evidence covers, null without any
 * @param exactEnd      the end of the time readings and summaries with statistics cover, null without any
 * @param last          the latest piece on the time line (the watermark), null without any
 * @param provisional   excursion reports that reach past {@link #primaryEnd()}
 * @param lastOutOfBand the end of the latest evidence outside the band (a reading, a summary's extreme, a report)
 * @param edgeSeverity  the highest edge severity of a report
 * @param evidence      pieces applied
 */
public record ProbeExposure(String probeId, ExposureTotals totals, Double minCelsius, Double maxCelsius,
                            Instant firstTime, Instant primaryEnd, Instant exactEnd, TimelineMark last,
                            List<ExcursionSpan> provisional, Instant lastOutOfBand, int edgeSeverity, int evidence) {

    /** An excursion report's stretch at its observed temperature. */
    public record ExcursionSpan(String evidenceId, Instant start, Instant end, double celsius) {
        public ExcursionSpan {
            Objects.requireNonNull(evidenceId, "evidenceId");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }

    public ProbeExposure {
        Objects.requireNonNull(probeId, "probeId");
        Objects.requireNonNull(totals, "totals");
        provisional = List.copyOf(provisional);
    }

    public static ProbeExposure empty(String probeId) {
        return new ProbeExposure(probeId, ExposureTotals.ZERO, null, null, null, null, null, null, List.of(), null, 0,
                0);
    }

    /** True when {@code e} is an excursion report or comes after the watermark: its neighbours are known. */
    public boolean follows(ExposureEvidence e) {
        return !e.primary() || last == null || last.before(TimelineMark.of(e));
    }

    /** Applies evidence after the watermark (or an excursion report). */
    public ProbeExposure apply(ExposureEvidence e, TemperatureBand band, Duration maxGap) {
        if (!follows(e)) {
            throw new IllegalArgumentException("evidence " + e.evidenceId() + " is before the watermark of probe "
                    + probeId + ": its stored neighbours are needed");
        }
        return apply(e, last, null, band, maxGap);
    }

    /**
     * Applies one piece of evidence of this probe that is not applied yet.
     *
     * @param prev the piece before it on the time line (null when none); ignored for an excursion report
     * @param next the piece after it (null when none); ignored for an excursion report
     */
    public ProbeExposure apply(ExposureEvidence e, TimelineMark prev, TimelineMark next, TemperatureBand band,
                               Duration maxGap) {
        if (!e.probeId().equals(probeId)) {
            throw new IllegalArgumentException("evidence of " + e.probeId() + " applied to probe " + probeId);
        }
        Double min = minCelsius == null ? e.minCelsius() : Math.min(minCelsius, e.minCelsius());
        Double max = maxCelsius == null ? e.maxCelsius() : Math.max(maxCelsius, e.maxCelsius());
        Instant first = firstTime == null || e.start().isBefore(firstTime) ? e.start() : firstTime;
        Instant outOfBand = outOfBand(e, band) && (lastOutOfBand == null || e.end().isAfter(lastOutOfBand))
                ? e.end() : lastOutOfBand;
        int severity = Math.max(edgeSeverity, e.edgeSeverity());
        if (!e.primary()) {
            List<ExcursionSpan> spans = new ArrayList<>(provisional);
            if (exactEnd == null || e.end().isAfter(exactEnd)) {
                spans.add(new ExcursionSpan(e.evidenceId(), e.start(), e.end(), e.celsius()));
            }
            return new ProbeExposure(probeId, totals, min, max, first, primaryEnd, exactEnd, last, spans, outOfBand,
                    severity, evidence + 1);
        }
        TimelineMark x = TimelineMark.of(e);
        ExposureTotals delta = own(e, band);
        if (prev != null) {
            delta = delta.plus(prev.linkTo(x, band, maxGap));
        }
        if (next != null) {
            delta = delta.plus(x.linkTo(next, band, maxGap));
        }
        if (prev != null && next != null) {
            delta = delta.minus(prev.linkTo(next, band, maxGap));
        }
        TimelineMark newLast = last == null || last.before(x) ? x : last;
        Instant end = primaryEnd == null || x.coveredUntil().isAfter(primaryEnd) ? x.coveredUntil() : primaryEnd;
        boolean exact = e.kind() == ExposureEvidence.Kind.POINT || e.statistics() != null;
        Instant exactTo = !exact || (exactEnd != null && !x.coveredUntil().isAfter(exactEnd)) ? exactEnd
                : x.coveredUntil();
        List<ExcursionSpan> spans = exactTo == null ? provisional
                : provisional.stream().filter(s -> s.end().isAfter(exactTo)).toList();
        return new ProbeExposure(probeId, totals.plus(delta), min, max, first, end, exactTo, newLast, spans,
                outOfBand, severity, evidence + 1);
    }

    /** A piece's own part: a summary's statistics (or its mean over its window), a reading's count. */
    static ExposureTotals own(ExposureEvidence e, TemperatureBand band) {
        if (e.kind() == ExposureEvidence.Kind.POINT) {
            return ExposureTotals.readings(1);
        }
        if (e.statistics() != null) {
            return ExposureTotals.of(e.statistics(), band, e.minCelsius(), e.maxCelsius(), e.readingCount());
        }
        return ExposureTotals.hold(e.celsius(), Duration.between(e.start(), e.end()).toMillis(), band)
                .plus(ExposureTotals.readings(e.readingCount()));
    }

    private static boolean outOfBand(ExposureEvidence e, TemperatureBand band) {
        return e.kind() == ExposureEvidence.Kind.EXCURSION || band.isAbove(e.maxCelsius()) || band.isBelow(e.minCelsius())
                || (e.statistics() != null && e.statistics().aboveMillis() + e.statistics().belowMillis() > 0);
    }

    /** The totals with the excursion reports' part after the primary evidence. */
    public ExposureTotals totalsWithReports(TemperatureBand band) {
        if (provisional.isEmpty()) {
            return totals;
        }
        TreeSet<Instant> cuts = new TreeSet<>();
        for (ExcursionSpan s : provisional) {
            Instant from = exactEnd != null && exactEnd.isAfter(s.start()) ? exactEnd : s.start();
            if (s.end().isAfter(from)) {
                cuts.add(from);
                cuts.add(s.end());
            }
        }
        ExposureTotals sum = totals;
        Instant a = null;
        for (Instant b : cuts) {
            if (a != null) {
                Instant from = a;
                Instant to = b;
                Optional<ExcursionSpan> worst = provisional.stream()
                        .filter(s -> !s.start().isAfter(from) && !s.end().isBefore(to))
                        .max(Comparator.comparingDouble((ExcursionSpan s) -> band.distanceOutside(s.celsius())).thenComparingDouble(ExcursionSpan::celsius)
                                .thenComparing(ExcursionSpan::evidenceId));
                if (worst.isPresent()) {
                    sum = sum.plus(ExposureTotals.hold(worst.get().celsius(), Duration.between(from, to).toMillis(),
                            band));
                }
            }
            a = b;
        }
        return sum;
    }

    /** The end of the latest evidence: primary coverage or an excursion report. */
    public Instant lastTime() {
        Instant end = primaryEnd;
        for (ExcursionSpan s : provisional) {
            end = end == null || s.end().isAfter(end) ? s.end() : end;
        }
        return end;
    }

    /** The probe's exposure figures against {@code band} (the band its totals were computed with). */
    public ExposureFigures figures(TemperatureBand band) {
        if (evidence == 0) {
            return ExposureFigures.none(band);
        }
        ExposureTotals t = totalsWithReports(band);
        Duration above = Duration.ofMillis(t.aboveMillis());
        Duration below = Duration.ofMillis(t.belowMillis());
        OptionalDouble mkt = t.observedMillis() > 0 && t.arrheniusSum() > 0
                ? OptionalDouble.of(ExposureCalculator.ACTIVATION_ENERGY_OVER_GAS_CONSTANT
                / -Math.log(t.arrheniusSum() / (t.observedMillis() / 1000.0)) - ExposureCalculator.KELVIN_OFFSET)
                : OptionalDouble.empty();
        return new ExposureFigures(band, (int) Math.min(Integer.MAX_VALUE, t.readings()), Optional.ofNullable(firstTime),
                Optional.ofNullable(lastTime()), Duration.ofMillis(t.observedMillis() + t.unknownMillis()),
                above.plus(below), above, below, t.degreeMinutesAbove(), t.degreeMinutesBelow(), mkt,
                maxCelsius == null ? OptionalDouble.empty() : OptionalDouble.of(maxCelsius),
                minCelsius == null ? OptionalDouble.empty() : OptionalDouble.of(minCelsius),
                Duration.ofMillis(t.unknownMillis()));
    }
}
