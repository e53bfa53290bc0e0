package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureObserved;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
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
 * @param aboveBand      time within the period during which the held reading was above the band
 * @param belowBand      time within the period during which the held reading was below the band
 */
public record WindowSummary(String sensorId, Instant periodStart, Instant periodEnd, Instant firstReadingAt,
                            Instant lastReadingAt, double minCelsius, double maxCelsius, double meanCelsius,
                            int readingCount, Duration aboveBand, Duration belowBand) {
    public WindowSummary {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(firstReadingAt, "firstReadingAt");
        Objects.requireNonNull(lastReadingAt, "lastReadingAt");
        Objects.requireNonNull(aboveBand, "aboveBand");
        Objects.requireNonNull(belowBand, "belowBand");
        if (readingCount < 1) {
            throw new IllegalArgumentException("a summary has at least one reading");
        }
    }

    /**
     * This summary and a later one of the same probe as one: min of mins, max of maxes, count-weighted mean, summed
     * band times. Every statistic is exactly mergeable, so coalescing windows loses time resolution, not extremes.
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
                aboveBand.plus(later.aboveBand), belowBand.plus(later.belowBand));
    }

    public BandTime bandTime() {
        return new BandTime(aboveBand.toSeconds(), belowBand.toSeconds());
    }

    /**
     * The canonical summary payload: window start and end are the first and last reading, the mean is rounded
     * half-up to {@code meanDecimals}.
     *
     * @param shipmentSscc the monitored shipment's SSCC
     * @param deviceId     the logger's id as the payload names it
     */
    public TemperatureObserved toTemperatureObserved(String shipmentSscc, String deviceId, int meanDecimals) {
        double mean = BigDecimal.valueOf(meanCelsius).setScale(meanDecimals, RoundingMode.HALF_UP).doubleValue();
        return new TemperatureObserved(shipmentSscc, deviceId, firstReadingAt, lastReadingAt, minCelsius,
                maxCelsius, mean, readingCount, null);
    }
}
