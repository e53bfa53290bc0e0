package io.waybill.domain.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * CloudEvents 1.0 structured JSON mode for {@link CanonicalEvent}: context attributes at the top level, the typed
 * payload under {@code data}. Timestamps are RFC 3339 UTC; absent optional values are omitted, never null.
 */
public final class CanonicalEventJson {

    /** Shared, thread-safe mapper: records in declaration order, Instants as RFC 3339 strings, nulls omitted. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1_000_000).maxNumberLength(64).build());
    }

    private CanonicalEventJson() {
    }

    public static ObjectNode toJson(CanonicalEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("specversion", CanonicalEvent.SPEC_VERSION);
        n.put("id", e.id());
        n.put("source", e.source());
        n.put("type", e.type());
        n.put("time", e.time().toString());
        if (e.subject() != null) {
            n.put("subject", e.subject());
        }
        n.put("dataschema", e.dataschema());
        n.put("datacontenttype", CanonicalEvent.DATA_CONTENT_TYPE);
        putTime(n, "devicetime", e.devicetime());
        putTime(n, "brokertime", e.brokertime());
        putTime(n, "streamtime", e.streamtime());
        putTime(n, "processingtime", e.processingtime());
        n.put("clockskewms", e.clockskewms());
        n.put("clockskewed", e.clockskewed());
        n.put("adapter", e.adapter());
        if (e.sequence() != null) {
            n.put("sequence", e.sequence());
        }
        n.set("data", dataJson(e.data()));
        return n;
    }

    /** The {@code data} object alone, in the stable field order the deterministic id is computed over. */
    public static JsonNode dataJson(EventData data) {
        return MAPPER.valueToTree(data);
    }

    public static String toJsonString(CanonicalEvent e) {
        try {
            return MAPPER.writeValueAsString(toJson(e));
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Reads a stored canonical event back; fails on an unknown type or a data object that does not fit its record. */
    public static CanonicalEvent fromJson(JsonNode n) {
        String type = n.path("type").asText();
        EventType eventType = EventType.fromType(type)
                .orElseThrow(() -> new IllegalArgumentException("unknown event type '" + type + "'"));
        try {
            EventData data = MAPPER.treeToValue(n.get("data"), eventType.dataClass());
            return new CanonicalEvent(n.path("id").asText(), n.path("source").asText(), type,
                    Instant.parse(n.path("time").asText()), text(n, "subject"),
                    time(n, "devicetime"), time(n, "brokertime"), time(n, "streamtime"), time(n, "processingtime"),
                    n.path("clockskewms").asLong(0), n.path("clockskewed").asBoolean(false), text(n, "adapter"),
                    n.hasNonNull("sequence") ? n.get("sequence").asLong() : null, data);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("data does not fit " + type + ": " + ex.getOriginalMessage(), ex);
        }
    }

    private static void putTime(ObjectNode n, String name, Instant t) {
        if (t != null) {
            n.put(name, t.toString());
        }
    }

    private static String text(JsonNode n, String name) {
        return n.hasNonNull(name) ? n.get(name).asText() : null;
    }

    private static Instant time(JsonNode n, String name) {
        return n.hasNonNull(name) ? Instant.parse(n.get(name).asText()) : null;
    }
}
