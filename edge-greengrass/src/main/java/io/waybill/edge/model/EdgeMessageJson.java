package io.waybill.edge.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ConveyorJammed;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * {@link EdgeMessage} as JSON with the canonical mapper ({@link CanonicalEventJson#MAPPER}: RFC 3339 instants,
 * nulls omitted). The payload's type follows from {@code kind}: SUMMARY is a {@code TemperatureObserved}, ALERT a
 * {@code TemperatureBreached}, or a {@code ConveyorJammed} when the payload has an {@code equipmentId} (the field
 * only that type has; the envelope format is unchanged, so temperature messages are byte for byte what they were).
 */
public final class EdgeMessageJson {
    /** The payload field that marks an ALERT's payload as a {@code ConveyorJammed}. */
    public static final String CONVEYOR_JAM_FIELD = "equipmentId";

    private EdgeMessageJson() {
    }

    public static byte[] toBytes(EdgeMessage m) {
        try {
            return CanonicalEventJson.MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge message not serialisable: " + m, e);
        }
    }

    /** Top-level field with the time the edge component emitted (spooled) the message, its own clock. */
    public static final String EDGE_TIME_FIELD = "edgeTime";

    /**
     * The message as the component sends it: {@link #toBytes(EdgeMessage)} plus {@value #EDGE_TIME_FIELD}, the time
     * the component emitted it (spooled it for the uplink), so the cloud can measure edge -> broker including any
     * time in the spool. A resend from the spool carries the same bytes.
     */
    public static byte[] toBytes(EdgeMessage m, Instant emittedAt) {
        com.fasterxml.jackson.databind.node.ObjectNode n = CanonicalEventJson.MAPPER.valueToTree(m);
        n.put(EDGE_TIME_FIELD, emittedAt.toString());
        try {
            return CanonicalEventJson.MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge message not serialisable: " + m, e);
        }
    }

    public static String toJson(EdgeMessage m) {
        try {
            return CanonicalEventJson.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge message not serialisable: " + m, e);
        }
    }

    /**
     * @throws IllegalArgumentException if the bytes are not an edge message
     */
    public static EdgeMessage fromBytes(byte[] json) {
        try {
            return fromTree(CanonicalEventJson.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an edge message: " + e.getMessage(), e);
        }
    }

    public static EdgeMessage fromJson(String json) {
        try {
            return fromTree(CanonicalEventJson.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an edge message: " + e.getOriginalMessage(), e);
        }
    }

    private static EdgeMessage fromTree(JsonNode n) throws JsonProcessingException {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not an edge message: not a JSON object");
        }
        var mapper = CanonicalEventJson.MAPPER;
        EdgeMessage.Kind kind = EdgeMessage.Kind.valueOf(required(n, "kind").asText());
        Class<? extends EventData> payloadType = kind == EdgeMessage.Kind.SUMMARY ? TemperatureObserved.class
                : required(n, "payload").has(CONVEYOR_JAM_FIELD) ? ConveyorJammed.class : TemperatureBreached.class;
        try {
            return new EdgeMessage(required(n, "deviceId").asText(), required(n, "sequence").asLong(),
                    mapper.treeToValue(required(n, "deviceTime"), Instant.class), kind,
                    mapper.treeToValue(required(n, "payload"), payloadType), n.path("severity").asInt(0),
                    n.hasNonNull("bandTime") ? mapper.treeToValue(n.get("bandTime"), BandTime.class) : null,
                    n.hasNonNull("excursion") ? mapper.treeToValue(n.get("excursion"), ExcursionInfo.class) : null);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException("not an edge message: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        if (!n.hasNonNull(field)) {
            throw new IllegalArgumentException("not an edge message: no '" + field + "'");
        }
        return n.get(field);
    }
}
