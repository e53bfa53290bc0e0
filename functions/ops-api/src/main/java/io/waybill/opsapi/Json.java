package io.waybill.opsapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/** The API's one JSON mapper (thread-safe once configured), and the habits of its responses: absent, never null. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** Sets {@code field} to the instant's ISO-8601 text; leaves it out when the instant is null. */
    static void instant(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, t.toString());
        }
    }

    /** Sets {@code field}; leaves it out when the value is null. */
    static void text(ObjectNode n, String field, String v) {
        if (v != null) {
            n.put(field, v);
        }
    }
}
