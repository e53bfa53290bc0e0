package io.waybill.domain.ingestion;

/** What happened to one record of a batch. */
public enum RecordOutcome {
    /** Became an event that was not stored before: stored now. */
    STORED,
    /** Same event as an earlier record of this batch: dropped before any write. */
    DUPLICATE_IN_BATCH,
    /** The event store already had it (a redelivery or resend): no second effect. */
    DUPLICATE_IN_STORE,
    /** Permanently bad: sent to the dead-letter queue with its raw payload and reason. */
    DEAD_LETTERED,
    /** Not processed because an earlier record hit a transient failure; it will be redelivered. */
    RETRY
}
