package io.waybill.edge.model;

import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureObserved;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * The statistics of one probe over one tumbling window (or, after {@link #merge(WindowSummary)}, over consecutive
 * windows).
 *
 * @param sensorId       the probe
 * @param periodStart    start of the (first) window, inclusive, aligned
 * @param periodEnd      end of the (last) window, exclusive, aligned
 * @param firstReadingAt the first reading in the period
 * @param lastReadingAt  the last reading in the period
 * @param minCelsius     lowest reading, °C
 * @param maxCelsius     highest reading, °C
 * @param meanCelsius    arithmetic mean of the readings, °C (not rounded)
 * @param readingCount   number of readings (>= 1)
 * @param exposure       the exposure statistics of the period's readings, their holds attributed as
 *                       {@link ExposureStatistics} defines (a hold may reach past {@code periodEnd})
 */
public record WindowSummary(String sensorId, Instant periodStart, Instant periodEnd, Instant firstReadingAt,
                            Instant lastReadingAt, double minCelsius, double maxCelsius, double meanCelsius,
                            int readingCount, ExposureStatistics exposure) {
    public WindowSummary {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(firstReadingAt, "firstReadingAt");
        Objects.requireNonNull(lastReadingAt, "lastReadingAt");
        Objects.requireNonNull(exposure, "exposure");
        if (readingCount < 1) {
            throw new IllegalArgumentException("a summary has at least one reading");
        }
    }

    /**
     * This summary and a later one of the same probe as one: min of mins, max of maxes, count-weighted mean, and
     * the exposure statistics added field by field (the band and the gap limit must be the same). Every statistic
     * is exactly mergeable, so coalescing windows loses time resolution, not extremes or exposure.
     */
    public WindowSummary merge(WindowSummary later) {
        if (!sensorId.equals(later.sensorId)) {
            throw new IllegalArgumentException("cannot merge summaries of " + sensorId + " and " + later.sensorId);
        }
        if (later.periodStart.isBefore(periodEnd)) {
            throw new IllegalArgumentException("summary of " + later.periodStart + " does not follow " + periodEnd);
        }
        int count = readingCount + later.readingCount;
        double mean = (meanCelsius * readingCount + later.meanCelsius * later.readingCount) / count;
        return new WindowSummary(sensorId, periodStart, later.periodEnd, firstReadingAt, later.lastReadingAt,
                Math.min(minCelsius, later.minCelsius), Math.max(maxCelsius, later.maxCelsius), mean, count,
                add(exposure, later.exposure));
    }

    private static ExposureStatistics add(ExposureStatistics a, ExposureStatistics b) {
        if (!Objects.equals(a.bandLowCelsius(), b.bandLowCelsius())
                || !Objects.equals(a.bandHighCelsius(), b.bandHighCelsius())
                || a.maxGapSeconds() != b.maxGapSeconds()) {
            throw new IllegalArgumentException("cannot merge exposure measured against other bands or gap limits: "
                    + a + " and " + b);
        }
        return new ExposureStatistics(a.bandLowCelsius(), a.bandHighCelsius(), a.maxGapSeconds(),
                a.observedMillis() + b.observedMillis(), a.unknownMillis() + b.unknownMillis(),
                a.aboveMillis() + b.aboveMillis(), a.belowMillis() + b.belowMillis(),
                a.degreeMinutesAbove() + b.degreeMinutesAbove(), a.degreeMinutesBelow() + b.degreeMinutesBelow(),
                a.arrheniusSum() + b.arrheniusSum());
    }

    /**
     * The envelope's legacy {@code bandTime}, kept for components that read it: derived from the exposure
     * statistics, whole seconds rounded down ({@code aboveMillis / 1000}, {@code belowMillis / 1000}).
     */
    public BandTime bandTime() {
        return new BandTime(exposure.aboveMillis() / 1000, exposure.belowMillis() / 1000);
    }

    /**
     * Decimals of the degree-minutes in the payload: 1e-4 °C·min (6 ms at 1 °C), far below any probe's accuracy;
     * the rounding error of a trip's sum stays below 5e-5 °C·min per summary.
     */
    public static final int DEGREE_MINUTE_DECIMALS = 4;
    /**
     * Significant digits of the Arrhenius sum in the payload: a relative error of at most 5e-10 per summary, which
     * moves a mean kinetic temperature by less than 1e-8 K (dMKT = T² / 10,000 K × the relative error).
     */
    public static final int ARRHENIUS_DIGITS = 10;

    /**
     * The canonical summary payload: window start and end are the first and last reading, the mean is rounded
     * half-up to {@code meanDecimals}; the exposure statistics are carried with their durations exact, the
     * degree-minutes rounded half-up to {@value #DEGREE_MINUTE_DECIMALS} decimals and the Arrhenius sum to
     * {@value #ARRHENIUS_DIGITS} significant digits (the shortest JSON numbers that keep them exact to rounding:
     * every byte counts on the uplink).
     *
     * @param shipmentSscc the monitored shipment's SSCC
     * @param deviceId     the logger's id as the payload names it
     */
    public TemperatureObserved toTemperatureObserved(String shipmentSscc, String deviceId, int meanDecimals) {
        double mean = BigDecimal.valueOf(meanCelsius).setScale(meanDecimals, RoundingMode.HALF_UP).doubleValue();
        ExposureStatistics e = exposure;
        ExposureStatistics reported = new ExposureStatistics(e.bandLowCelsius(), e.bandHighCelsius(),
                e.maxGapSeconds(), e.observedMillis(), e.unknownMillis(), e.aboveMillis(), e.belowMillis(),
                decimals(e.degreeMinutesAbove()), decimals(e.degreeMinutesBelow()),
                new BigDecimal(e.arrheniusSum()).round(new MathContext(ARRHENIUS_DIGITS, RoundingMode.HALF_UP))
                        .doubleValue());
        return new TemperatureObserved(shipmentSscc, deviceId, firstReadingAt, lastReadingAt, minCelsius,
                maxCelsius, mean, readingCount, null).withExposure(reported);
    }

    private static double decimals(double degreeMinutes) {
        return BigDecimal.valueOf(degreeMinutes).setScale(DEGREE_MINUTE_DECIMALS, RoundingMode.HALF_UP).doubleValue();
    }
}
