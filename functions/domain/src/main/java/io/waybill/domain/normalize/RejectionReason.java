package io.waybill.domain.normalize;

/**
 * Why a raw record cannot become (or be stored as) a canonical event. Every reason is permanent: retrying the same bytes gives the
 * same answer, so the record goes to the dead-letter queue (with its raw payload) instead of being retried.
 */
public enum RejectionReason {
    /** The bytes are not a JSON object (truncated, binary, not UTF-8). */
    MALFORMED_JSON,
    /** The record is larger than the configured maximum. */
    OVERSIZED,
    /** No adapter is registered for the record's source (topic). */
    UNKNOWN_ADAPTER,
    /** A field the vendor contract requires is absent or null. */
    MISSING_FIELD,
    /** A GS1 key (SSCC, GLN, GTIN, EPC URN) is malformed or its check digit is wrong. */
    INVALID_IDENTITY,
    /**
     * The device id the payload claims is not the authenticated producer (the thing name of {@code wb_route}, from the
     * MQTT topic the device's certificate may publish on): a message sent under another device's identity.
     */
    IDENTITY_MISMATCH,
    /** The producing thing is not in the device registry: nobody registered it, so nobody vouches for it. */
    UNREGISTERED_DEVICE,
    /** The producing device is revoked in the registry (its certificate is revoked too; a message that got through anyway). */
    DEVICE_REVOKED,
    /** The device registers signing keys but the message carries no {@code wb_sig}. */
    UNSIGNED,
    /**
     * The message's {@code wb_sig} does not verify: malformed, a key the device does not have, or a signature that
     * does not match the message (forged, or altered after signing).
     */
    BAD_SIGNATURE,
    /**
     * A validly signed message whose sequence is older than the device's highest accepted sequence for that key less
     * the reordering window: a replay of a captured message (within the window, a resend is absorbed by the event
     * store as a duplicate).
     */
    REPLAYED,
    /**
     * An event about a shipment the device was not assigned to at the event's time (on a stage that rejects them;
     * a stage may accept them flagged {@code unassigned} instead).
     */
    UNASSIGNED,
    /** A value is outside what is physically possible (e.g. -300 °C, latitude 95). */
    IMPOSSIBLE_VALUE,
    /** A timestamp is unparseable, has no offset, or is implausible. */
    INVALID_TIME,
    /** A unit code is not one the contract allows. */
    UNKNOWN_UNIT,
    /** A value the vendor contract enumerates has an unknown code (e.g. a partner status code). */
    UNKNOWN_CODE,
    /** The normalised event does not satisfy its JSON Schema (a bug in an adapter, never the device's fault). */
    SCHEMA_VIOLATION,
    /**
     * The record's event id is already stored with different content (a vendor message id or sequence reused for
     * another reading): both versions go to the dead-letter queue's letter, nothing is silently absorbed.
     */
    ID_CONFLICT,
    /** An unexpected exception while normalising this one record (a bug in an adapter): this record only. */
    INTERNAL_ERROR,
    /**
     * A dependency refused this record's write for good (a key or item over the store's limits, access refused to a
     * key): see {@link io.waybill.domain.ingestion.PermanentDependencyException}.
     */
    DEPENDENCY_REJECTED;

    /**
     * Whether this rejection is evidence of an attack or of a broken device rather than of a gap an operator closes:
     * {@link #IDENTITY_MISMATCH}, {@link #DEVICE_REVOKED}, {@link #UNSIGNED}, {@link #BAD_SIGNATURE},
     * {@link #REPLAYED}. Ingest counts them together ({@code IdentityRejections}, alarmed on); a replay never re-drives
     * them unless they are named (re-driving changes nothing and would hide the evidence). {@link #UNREGISTERED_DEVICE}
     * and {@link #UNASSIGNED} are not: registering or assigning the device fixes them.
     */
    public boolean securityEvidence() {
        return switch (this) {
            case IDENTITY_MISMATCH, DEVICE_REVOKED, UNSIGNED, BAD_SIGNATURE, REPLAYED -> true;
            default -> false;
        };
    }
}
