package io.waybill.edge.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;

import java.io.IOException;
import java.time.Instant;

/**
 * The sensors' messages on the local topics; the sensor id is the topic level the topic filter's {@code +} stands
 * for. A temperature probe ({@code sensors/<sensorId>/temperature}): {@code {"at": <epoch millis>, "celsius": 4.2}}.
 * A conveyor drive ({@code sensors/<sensorId>/vibration} by default): {@code {"at": <epoch millis>, "value": 4.2}},
 * the value in the configured unit (A or mm/s).
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
        JsonNode n = object(payload);
        long at = at(n);
        JsonNode celsius = n.get("celsius");
        if (celsius == null || !celsius.isNumber()) {
            throw new IllegalArgumentException("sensor payload needs a numeric \"celsius\"");
        }
        return new TemperatureReading(sensorId, Instant.ofEpochMilli(at), celsius.asDouble());
    }

    /**
     * A conveyor drive's sample.
     *
     * @throws IllegalArgumentException if the payload is not such an object, {@code at} is not an integer or
     *     {@code value} is not a finite number
     */
    public static ConveyorReading parseConveyor(String sensorId, byte[] payload) {
        JsonNode n = object(payload);
        long at = at(n);
        JsonNode value = n.get("value");
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("conveyor sensor payload needs a numeric \"value\"");
        }
        return new ConveyorReading(sensorId, Instant.ofEpochMilli(at), value.asDouble());
    }

    /** The payload for a conveyor sample (simulators, tests). */
    public static byte[] of(ConveyorReading r) {
        return ("{\"at\":" + r.at().toEpochMilli() + ",\"value\":" + r.value() + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long at(JsonNode n) {
        JsonNode at = n.get("at");
        if (at == null || !at.canConvertToLong() || !at.isIntegralNumber()) {
            throw new IllegalArgumentException("sensor payload needs \"at\" in epoch milliseconds");
        }
        return at.asLong();
    }

    private static JsonNode object(byte[] payload) {
        JsonNode n;
        try {
            n = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("sensor payload is not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("sensor payload must be a JSON object");
        }
        return n;
    }

    /** The payload for a reading (simulators, tests). */
    public static byte[] of(TemperatureReading r) {
        return ("{\"at\":" + r.at().toEpochMilli() + ",\"celsius\":" + r.celsius() + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
