package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.NormalizationResult;

import java.time.Instant;

/**
 * The append-only event store, which is also the permanent dedupe ledger: an event is appended at most once per
 * {@code source + id}, with no expiry window (a partner may resend a confirmation days later).
 */
public interface EventLedger {

    enum Append { APPENDED, ALREADY_PRESENT }

    /**
     * Appends the event unless one with the same key is already stored.
     *
     * @param handlerStartedAt when the invocation carrying this record began, kept for boundary latency
     * @throws TransientDependencyException when the store could not answer; the caller retries
     */
    Append append(NormalizationResult.Normalized event, Instant handlerStartedAt);
}
