package io.waybill.domain.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** The event as a tree (tests, tooling); the same bytes as {@link #toJsonString(CanonicalEvent)}. */
    public static ObjectNode toJson(CanonicalEvent e) {
        try {
            return (ObjectNode) MAPPER.readTree(toJsonString(e));
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The {@code data} object alone, in the stable field order the deterministic id is computed over. */
    public static JsonNode dataJson(EventData data) {
        return MAPPER.valueToTree(data);
    }

    /** The {@code data} object serialised once: the bytes the deterministic id hashes and the event embeds. */
    public static byte[] dataBytes(EventData data) {
        try {
            return MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event data not serialisable: " + data, ex);
        }
    }

    public static String toJsonString(CanonicalEvent e) {
        return toJsonString(e, dataBytes(e.data()));
    }

    /**
     * Streams the envelope and embeds the already-serialised data: one pass, no intermediate tree (this is on the
     * ingest hot path, once per record).
     */
    public static String toJsonString(CanonicalEvent e, byte[] dataJson) {
        StringWriter out = new StringWriter(256 + dataJson.length);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("specversion", CanonicalEvent.SPEC_VERSION);
            g.writeStringField("id", e.id());
            g.writeStringField("source", e.source());
            g.writeStringField("type", e.type());
            g.writeStringField("time", e.time().toString());
            if (e.subject() != null) {
                g.writeStringField("subject", e.subject());
            }
            g.writeStringField("dataschema", e.dataschema());
            g.writeStringField("datacontenttype", CanonicalEvent.DATA_CONTENT_TYPE);
            writeTime(g, "devicetime", e.devicetime());
            writeTime(g, "edgetime", e.edgetime());
            writeTime(g, "brokertime", e.brokertime());
            writeTime(g, "streamtime", e.streamtime());
            writeTime(g, "processingtime", e.processingtime());
            g.writeNumberField("clockskewms", e.clockskewms());
            g.writeBooleanField("clockskewed", e.clockskewed());
            g.writeStringField("adapter", e.adapter());
            if (e.sequence() != null) {
                g.writeNumberField("sequence", e.sequence());
            }
            if (e.idscheme() > 0) {
                g.writeNumberField("idscheme", e.idscheme());
            }
            if (e.contenthash() != null) {
                g.writeStringField("contenthash", e.contenthash());
            }
            if (e.clockoffsetms() != null) {
                g.writeNumberField("clockoffsetms", e.clockoffsetms());
            }
            if (e.late()) {
                g.writeBooleanField("late", true);
            }
            if (e.unassigned()) {
                g.writeBooleanField("unassigned", true);
            }
            g.writeFieldName("data");
            g.writeRawValue(new String(dataJson, StandardCharsets.UTF_8));
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
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
                    n.hasNonNull("sequence") ? n.get("sequence").asLong() : null, data, time(n, "edgetime"),
                    n.path("idscheme").asInt(0), text(n, "contenthash"),
                    n.hasNonNull("clockoffsetms") ? n.get("clockoffsetms").asLong() : null,
                    n.path("late").asBoolean(false), n.path("unassigned").asBoolean(false));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("data does not fit " + type + ": " + ex.getOriginalMessage(), ex);
        }
    }

    private static void writeTime(JsonGenerator g, String name, Instant t) throws IOException {
        if (t != null) {
            g.writeStringField(name, t.toString());
        }
    }

    private static String text(JsonNode n, String name) {
        return n.hasNonNull(name) ? n.get(name).asText() : null;
    }

    private static Instant time(JsonNode n, String name) {
        return n.hasNonNull(name) ? Instant.parse(n.get(name).asText()) : null;
    }
}
