package io.waybill.domain.normalize;

import io.waybill.domain.event.CanonicalEvent;

/** The outcome of normalising one raw record: a canonical event, or a rejection with its reason. */
public sealed interface NormalizationResult {

    RawRecord raw();

    /**
     * @param json            the event in CloudEvents structured JSON, exactly as stored
     * @param vendorMessageId the producer's own message id as it sent it (before id scheme 2 bounded it), or null:
     *                        id scheme 1 used it as the id, so the legacy-id window needs it
     */
    record Normalized(RawRecord raw, CanonicalEvent event, String json, String vendorMessageId)
            implements NormalizationResult {
        /** An event whose producer sent no message id. */
        public Normalized(RawRecord raw, CanonicalEvent event, String json) {
            this(raw, event, json, null);
        }
    }

    /** @param adapter the adapter that rejected it, or null when no adapter was reached */
    record Rejected(RawRecord raw, RejectionReason reason, String detail, String adapter) implements NormalizationResult {
    }
}
