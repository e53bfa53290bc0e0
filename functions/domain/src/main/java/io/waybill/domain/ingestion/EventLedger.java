package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.NormalizationResult;

import java.time.Instant;
import java.util.Objects;

/**
 * The append-only event store, which is also the permanent dedupe ledger: an event is appended at most once per
 * {@code source + id}, with no expiry window (a partner may resend a confirmation days later). The append tells a
 * duplicate (same id, same content hash) from a conflict (same id, other content) and returns the stored copy, so
 * the caller folds what is stored, never its own re-normalised copy.
 */
public interface EventLedger {

    /**
     * What the append did.
     *
     * @param kind              appended, a duplicate, or an id conflict
     * @param storedJson        the stored event's canonical JSON (duplicate and conflict), else null
     * @param storedContentHash the stored event's content hash, null when it was stored before content hashes were
     *                          (id scheme 1: such an event is taken as a duplicate, there is nothing to compare)
     */
    record Append(Kind kind, String storedJson, String storedContentHash) {
        public enum Kind {
            /** Not stored before: stored now. */
            APPENDED,
            /** Stored before with the same content: no second effect. */
            DUPLICATE,
            /** Stored before with other content under the same id: nothing written, the caller dead-letters it. */
            CONFLICT
        }

        public static final Append APPENDED = new Append(Kind.APPENDED, null, null);

        public Append {
            Objects.requireNonNull(kind, "kind");
            if (kind != Kind.APPENDED) {
                Objects.requireNonNull(storedJson, "storedJson");
            }
        }

        /** Same id as a stored event: a duplicate when the content hashes agree (or the stored one has none). */
        public static Append existing(String storedJson, String storedContentHash, String contentHash) {
            boolean same = storedContentHash == null || storedContentHash.equals(contentHash);
            return new Append(same ? Kind.DUPLICATE : Kind.CONFLICT, storedJson, storedContentHash);
        }
    }

    /**
     * Appends the event unless one with the same key is already stored.
     *
     * @param handlerStartedAt when the invocation carrying this record began, kept for boundary latency
     * @throws TransientDependencyException when the store could not answer; the caller retries
     * @throws PermanentDependencyException when the store refused this event for good; the caller dead-letters it
     */
    Append append(NormalizationResult.Normalized event, Instant handlerStartedAt);
}
