package io.waybill.domain.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;

import java.time.Instant;
import java.util.Base64;

/**
 * The dead-letter message body (format version 1): the raw payload in base64 and the context needed to replay it.
 * <pre>{"version":1,"reason":"INVALID_IDENTITY","detail":"...","adapter":"coldchainco",
 *  "origin":{"stream":"arn:...","shardId":"shardId-000000000000","sequenceNumber":"4959...","partitionKey":"CC-0009"},
 *  "arrivedAt":"2026-11-27T08:00:02Z","deadLetteredAt":"2026-11-27T08:00:02.120Z","payloadBase64":"eyJ3Yl9yb3V0ZSI6..."}</pre>
 * An {@code ID_CONFLICT} letter also carries {@code "conflict":{"storedEvent":{...},"event":{...}}}: the event stored
 * under the id first and what this record normalised to, both as canonical JSON.
 */
public final class DeadLetterJson {
    public static final int FORMAT_VERSION = 1;

    private DeadLetterJson() {
    }

    public static String toJson(DeadLetter d) {
        ObjectNode n = CanonicalEventJson.MAPPER.createObjectNode();
        n.put("version", FORMAT_VERSION);
        n.put("reason", d.reason().name());
        n.put("detail", d.detail());
        if (d.adapter() != null) {
            n.put("adapter", d.adapter());
        }
        ObjectNode o = n.putObject("origin");
        RecordOrigin origin = d.origin();
        putIfPresent(o, "stream", origin.stream());
        putIfPresent(o, "shardId", origin.shardId());
        putIfPresent(o, "sequenceNumber", origin.sequenceNumber());
        putIfPresent(o, "partitionKey", origin.partitionKey());
        if (d.arrivedAt() != null) {
            n.put("arrivedAt", d.arrivedAt().toString());
        }
        n.put("deadLetteredAt", d.deadLetteredAt().toString());
        if (d.conflict() != null) {
            ObjectNode c = n.putObject("conflict");
            c.set("storedEvent", readTree(d.conflict().storedEventJson()));
            c.set("event", readTree(d.conflict().eventJson()));
        }
        n.put("payloadBytes", d.payload().length);
        n.put("payloadBase64", Base64.getEncoder().encodeToString(d.payload()));
        try {
            return CanonicalEventJson.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DeadLetter fromJson(String body) {
        try {
            JsonNode n = CanonicalEventJson.MAPPER.readTree(body);
            if (n.path("version").asInt() != FORMAT_VERSION) {
                throw new IllegalArgumentException("unsupported dead-letter format version " + n.path("version"));
            }
            JsonNode o = n.path("origin");
            return new DeadLetter(Base64.getDecoder().decode(n.path("payloadBase64").asText()),
                    RejectionReason.valueOf(n.path("reason").asText()), n.path("detail").asText(),
                    text(n, "adapter"),
                    new RecordOrigin(text(o, "stream"), text(o, "shardId"), text(o, "sequenceNumber"), text(o, "partitionKey")),
                    n.hasNonNull("arrivedAt") ? Instant.parse(n.get("arrivedAt").asText()) : null,
                    Instant.parse(n.path("deadLetteredAt").asText()),
                    n.hasNonNull("conflict") ? new DeadLetter.IdConflict(n.get("conflict").path("storedEvent").toString(),
                            n.get("conflict").path("event").toString()) : null);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a dead-letter message: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return CanonicalEventJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void putIfPresent(ObjectNode n, String name, String value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    private static String text(JsonNode n, String name) {
        return n.hasNonNull(name) ? n.get(name).asText() : null;
    }
}
