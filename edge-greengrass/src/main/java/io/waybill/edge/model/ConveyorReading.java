package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One sample of a conveyor drive's health signal: the motor current in ampere or the RMS vibration velocity in
 * mm/s. A jam shows on both as a sustained rise (the drive works against a blocked belt).
 *
 * @param sensorId the drive's sensor id, e.g. {@code sorter-3-drive-2}
 * @param at       when the sensor sampled, device clock, UTC
 * @param value    the signal value in its own unit (A or mm/s); must be finite
 */
public record ConveyorReading(String sensorId, Instant at, double value) {
    public ConveyorReading {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(at, "at");
        if (sensorId.isBlank()) {
            throw new IllegalArgumentException("sensorId is blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value is not finite: " + value);
        }
    }
}
