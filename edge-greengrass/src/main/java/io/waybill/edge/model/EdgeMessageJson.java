package io.waybill.edge.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ConveyorJammed;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.ExposureStatistics;
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
 *
 * <p><b>Sparse on the wire.</b> Every summary carries its exposure statistics; to keep the uplink small (the issue's
 * budget: uplink bytes at most 2 % of the raw sensor bytes) a SUMMARY leaves out what is zero: the counters of
 * {@code payload.exposure} that are 0 ({@code unknownMillis}, {@code aboveMillis}, {@code belowMillis},
 * {@code degreeMinutesAbove}, {@code degreeMinutesBelow}; an absent counter is 0, the cloud's adapter fills it in
 * so the canonical event carries every field) and the legacy {@code bandTime} when nothing was outside the band
 * (absent is {@link BandTime#NONE}, which the cloud has always accepted), and its {@code severity}, always 0 for a
 * summary (absent is 0; the cloud reads it as optional). Read back, such a message equals the one written.
 */
public final class EdgeMessageJson {
    /** The payload field that marks an ALERT's payload as a {@code ConveyorJammed}. */
    public static final String CONVEYOR_JAM_FIELD = "equipmentId";

    private EdgeMessageJson() {
    }

    /** The canonical mapper with the wire's sparse encoding of summaries (see the class comment). */
    private static final ObjectMapper WIRE = CanonicalEventJson.MAPPER.copy()
            .addMixIn(ExposureStatistics.class, SparseExposure.class)
            .addMixIn(EdgeMessage.class, SparseBandTime.class);

    /** Zero counters of the exposure are left out. */
    private abstract static class SparseExposure {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract long unknownMillis();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract long aboveMillis();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract long belowMillis();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract double degreeMinutesAbove();

        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract double degreeMinutesBelow();
    }

    /** {@code bandTime} of a summary with nothing outside the band is left out. */
    private abstract static class SparseBandTime {
        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoBandTime.class)
        abstract BandTime bandTime();
    }

    /** A Jackson value filter: true (leave out) for null and {@link BandTime#NONE}. */
    static final class NoBandTime {
        @Override
        public boolean equals(Object value) {
            return value == null || BandTime.NONE.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    public static byte[] toBytes(EdgeMessage m) {
        try {
            return WIRE.writeValueAsBytes(tree(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge message not serialisable: " + m, e);
        }
    }

    /** The message as the wire's tree: sparse, and a summary's severity (always 0) left out. */
    private static ObjectNode tree(EdgeMessage m) {
        ObjectNode n = WIRE.valueToTree(m);
        if (m.kind() == EdgeMessage.Kind.SUMMARY && m.severity() == 0) {
            n.remove("severity");
        }
        return n;
    }

    /** Top-level field with the time the edge component emitted (spooled) the message, its own clock. */
    public static final String EDGE_TIME_FIELD = "edgeTime";

    /**
     * The message as the component sends it: {@link #toBytes(EdgeMessage)} plus {@value #EDGE_TIME_FIELD}, the time
     * the component emitted it (spooled it for the uplink), so the cloud can measure edge -> broker including any
     * time in the spool. A resend from the spool carries the same bytes.
     */
    public static byte[] toBytes(EdgeMessage m, Instant emittedAt) {
        ObjectNode n = tree(m);
        n.put(EDGE_TIME_FIELD, emittedAt.toString());
        try {
            return WIRE.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("edge message not serialisable: " + m, e);
        }
    }

    public static String toJson(EdgeMessage m) {
        try {
            return WIRE.writeValueAsString(tree(m));
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
                    n.hasNonNull("bandTime") ? mapper.treeToValue(n.get("bandTime"), BandTime.class)
                            : kind == EdgeMessage.Kind.SUMMARY ? BandTime.NONE : null,
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
