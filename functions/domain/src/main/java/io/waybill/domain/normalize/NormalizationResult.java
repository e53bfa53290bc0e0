package io.waybill.domain.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;

/** The outcome of normalising one raw record: a canonical event, or a rejection with its reason. */
public sealed interface NormalizationResult {

    RawRecord raw();

    /**
     * Who sent a normalised record, as ingest's producer checks need it.
     *
     * @param id      the authenticated producer: the thing name (device) or partner id, second segment of
     *                {@code wb_route}
     * @param device  whether the adapter's producers are devices ({@link io.waybill.domain.adapter.VendorAdapter#device()})
     * @param message the record's parsed JSON object as received, routing fields and {@code wb_sig} included (read
     *                only: signature verification works on it)
     */
    record Producer(String id, boolean device, ObjectNode message) {
    }

    /**
     * @param json            the event in CloudEvents structured JSON, exactly as stored
     * @param vendorMessageId the producer's own message id as it sent it (before id scheme 2 bounded it), or null:
     *                        id scheme 1 used it as the id, so the legacy-id window needs it
     * @param producer        who sent it (null for an event that did not come from a producer's message: a decision,
     *                        a fixture)
     */
    record Normalized(RawRecord raw, CanonicalEvent event, String json, String vendorMessageId, Producer producer)
            implements NormalizationResult {
        /** An event whose producer sent no message id. */
        public Normalized(RawRecord raw, CanonicalEvent event, String json) {
            this(raw, event, json, null, null);
        }

        /** An event without producer details (not checked against the device registry). */
        public Normalized(RawRecord raw, CanonicalEvent event, String json, String vendorMessageId) {
            this(raw, event, json, vendorMessageId, null);
        }

        /** This record with its event flagged {@code unassigned} (and its JSON re-serialised accordingly). */
        public Normalized flaggedUnassigned() {
            CanonicalEvent flagged = event.withUnassigned();
            return new Normalized(raw, flagged, io.waybill.domain.event.CanonicalEventJson.toJsonString(flagged),
                    vendorMessageId, producer);
        }
    }

    /** @param adapter the adapter that rejected it, or null when no adapter was reached */
    record Rejected(RawRecord raw, RejectionReason reason, String detail, String adapter) implements NormalizationResult {
    }
}
