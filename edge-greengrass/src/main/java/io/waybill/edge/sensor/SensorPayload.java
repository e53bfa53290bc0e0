package io.waybill.edge.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.edge.model.TemperatureReading;

import java.io.IOException;
import java.time.Instant;

/**
 * The probe's message on the local sensor topic: {@code {"at": <epoch millis>, "celsius": 4.2}}; the sensor id is
 * the topic level the sensor topic's {@code +} stands for ({@code sensors/<sensorId>/temperature}).
 */
public final class SensorPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SensorPayload() {
    }

    /**
     * @throws IllegalArgumentException if the payload is not such an object, {@code at} is not an integer or
     *     {@code celsius} is not a finite number
     */
    public static TemperatureReading parse(String sensorId, byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("sensor payload is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("sensor payload must be a JSON object");
        }
        JsonNode at = n.get("at");
        JsonNode celsius = n.get("celsius");
        if (at == null || !at.canConvertToLong() || !at.isIntegralNumber()) {
            throw new IllegalArgumentException("sensor payload needs \"at\" in epoch milliseconds");
        }
        if (celsius == null || !celsius.isNumber()) {
            throw new IllegalArgumentException("sensor payload needs a numeric \"celsius\"");
        }
        return new TemperatureReading(sensorId, Instant.ofEpochMilli(at.asLong()), celsius.asDouble());
    }

    /** The payload for a reading (simulators, tests). */
    public static byte[] of(TemperatureReading r) {
        return ("{\"at\":" + r.at().toEpochMilli() + ",\"celsius\":" + r.celsius() + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
