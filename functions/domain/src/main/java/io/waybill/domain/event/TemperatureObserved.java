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
 */
public record TemperatureObserved(String shipmentSscc, String deviceId, Instant windowStart, Instant windowEnd,
                                  double minCelsius, double maxCelsius, double meanCelsius, int readingCount,
                                  Double humidityPercent) implements EventData {
    @Override
    public String subject() {
        return shipmentSscc;
    }
}
