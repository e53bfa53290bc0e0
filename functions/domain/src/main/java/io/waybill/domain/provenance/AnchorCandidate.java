package io.waybill.domain.provenance;

import io.waybill.domain.event.CanonicalEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * A selected event waiting for (or holding) its place in an anchor batch.
 *
 * @param eventHash {@link EventHash#hex()} of the event
 * @param queuedAt  when the intake queued it: the batch's maximum wait runs from the oldest one
 */
public record AnchorCandidate(String eventId, String eventHash, String type, String subject, Instant queuedAt) {
    public AnchorCandidate {
        Objects.requireNonNull(eventId, "eventId");
        eventHash = EventHash.ofHex(eventHash).hex();
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(queuedAt, "queuedAt");
    }

    public static AnchorCandidate of(CanonicalEvent event, Instant queuedAt) {
        return new AnchorCandidate(event.id(), EventHash.of(event).hex(), event.type(), event.subject(), queuedAt);
    }

    /** The bytes32 leaf value: {@code 0x} + the hash. */
    public String leafValue() {
        return "0x" + eventHash;
    }
}
