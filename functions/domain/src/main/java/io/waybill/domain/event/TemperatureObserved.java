package io.waybill.domain.event;

import java.time.Instant;

/**
 * A windowed temperature summary (a single reading is a window of one: start = end, count = 1).
 *
 * @param shipmentSscc   SSCC of the monitored shipment
 * @param deviceId       the logger's id, unique within its vendor
 * @param windowStart    first reading in the window, device clock, UTC
 * @param windowEnd      last reading in the window, device clock, UTC
 * @param minCelsius     lowest reading, °C
 * @param maxCelsius     highest reading, °C
 * @param meanCelsius    arithmetic mean of the readings, °C
 * @param readingCount   number of readings summarised (>= 1)
 * @param humidityPercent relative humidity %, if reported
 * @param exposure       the window's exactly mergeable exposure statistics (Waybill's edge component from 1.3);
 *                       null for older components and for loggers that send means only
 */
public record TemperatureObserved(String shipmentSscc, String deviceId, Instant windowStart, Instant windowEnd,
                                  double minCelsius, double maxCelsius, double meanCelsius, int readingCount,
                                  Double humidityPercent, ExposureStatistics exposure) implements EventData {

    /** A summary without exposure statistics (loggers, edge components before 1.3). */
    public TemperatureObserved(String shipmentSscc, String deviceId, Instant windowStart, Instant windowEnd,
                               double minCelsius, double maxCelsius, double meanCelsius, int readingCount,
                               Double humidityPercent) {
        this(shipmentSscc, deviceId, windowStart, windowEnd, minCelsius, maxCelsius, meanCelsius, readingCount,
                humidityPercent, null);
    }

    /** This summary with exposure statistics. */
    public TemperatureObserved withExposure(ExposureStatistics statistics) {
        return new TemperatureObserved(shipmentSscc, deviceId, windowStart, windowEnd, minCelsius, maxCelsius,
                meanCelsius, readingCount, humidityPercent, statistics);
    }

    @Override
    public String subject() {
        return shipmentSscc;
    }
}
