package io.waybill.domain.partner.ingress;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One event as EventBridge delivers it from the partner bus to its target. {@code account} is set by EventBridge
 * (the account that put the event: the sender cannot choose it); {@code source}, {@code detail-type}, {@code time}
 * and {@code detail} are the sender's.
 *
 * @param id         the event's id (EventBridge's, unique per put; a redelivery carries the same id)
 * @param source     the sender's {@code source}
 * @param account    the sending account
 * @param detailType the sender's {@code detail-type}
 * @param time       the sender's {@code time} as written (may be null)
 * @param detail     the sender's {@code detail}, or null when absent
 * @param raw        the whole event as received, kept for the dead letter (replayable as is)
 */
public record PartnerEvent(String id, String source, String account, String detailType, String time, JsonNode detail,
                           String raw) {
    public PartnerEvent {
        Objects.requireNonNull(raw, "raw");
    }

    /** Reads the envelope fields of an event as EventBridge delivers it; null (unreadable text) gives no fields. */
    public static PartnerEvent of(JsonNode event, String raw) {
        return new PartnerEvent(text(event, "id"), text(event, "source"), text(event, "account"),
                text(event, "detail-type"), text(event, "time"), event == null ? null : event.get("detail"), raw);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isTextual() || v.asText().isBlank() ? null : v.asText();
    }
}
