package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One temperature sample from a probe in a reefer container (return air, supply air or a cargo probe).
 *
 * <p>Every edge model is driven by {@link #at()}, the device's own timestamp, never by the wall clock, so a replay
 * of the same readings gives the same output.
 *
 * @param sensorId the probe's id; stable for the life of the probe and unique within the fleet
 * @param at       when the probe sampled, device clock, UTC
 * @param celsius  the reading in °C; must be finite (a sensor's error code is the parser's business, not the model's)
 */
public record TemperatureReading(String sensorId, Instant at, double celsius) {
    public TemperatureReading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(at, "at");
        if (sensorId.isBlank()) {
            throw new IllegalArgumentException("sensorId is blank");
        }
        if (!Double.isFinite(celsius)) {
            throw new IllegalArgumentException("celsius is not finite: " + celsius);
        }
    }
}
