package io.waybill.domain.normalize;

import io.waybill.domain.event.CanonicalEvent;

/** The outcome of normalising one raw record: a canonical event, or a rejection with its reason. */
public sealed interface NormalizationResult {

    RawRecord raw();

    /** @param json the event in CloudEvents structured JSON, exactly as stored */
    record Normalized(RawRecord raw, CanonicalEvent event, String json) implements NormalizationResult {
    }

    /** @param adapter the adapter that rejected it, or null when no adapter was reached */
    record Rejected(RawRecord raw, RejectionReason reason, String detail, String adapter) implements NormalizationResult {
    }
}
