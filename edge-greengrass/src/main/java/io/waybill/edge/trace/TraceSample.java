package io.waybill.edge.trace;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of a trace file: {@code sensorId,epochMillis,value}. The value's unit depends on the sensor (°C for a
 * reefer probe, A or mm/s for a conveyor drive).
 */
public record TraceSample(String sensorId, long epochMillis, double value) {
    public TraceSample {
        Objects.requireNonNull(sensorId, "sensorId");
        if (sensorId.isBlank() || sensorId.indexOf(',') >= 0 || sensorId.indexOf('\n') >= 0
                || sensorId.indexOf('\r') >= 0 || sensorId.startsWith("#") || !sensorId.equals(sensorId.strip())) {
            throw new IllegalArgumentException("sensorId '" + sensorId
                    + "' must be non-blank, without commas, line breaks, surrounding blanks or a leading '#'");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value is not finite: " + value);
        }
    }

    public static TraceSample of(TemperatureReading r) {
        return new TraceSample(r.sensorId(), r.at().toEpochMilli(), r.celsius());
    }

    public static TraceSample of(ConveyorReading r) {
        return new TraceSample(r.sensorId(), r.at().toEpochMilli(), r.value());
    }

    public Instant at() {
        return Instant.ofEpochMilli(epochMillis);
    }

    public TemperatureReading toTemperatureReading() {
        return new TemperatureReading(sensorId, at(), value);
    }

    public ConveyorReading toConveyorReading() {
        return new ConveyorReading(sensorId, at(), value);
    }
}
