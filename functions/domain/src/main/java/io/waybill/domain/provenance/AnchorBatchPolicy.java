package io.waybill.domain.provenance;

import java.time.Duration;
import java.util.Objects;

/**
 * When a batch closes: at {@code maxEvents} queued events, or when the oldest queued event has waited
 * {@code maxWait}, whichever comes first.
 *
 * @param maxEvents N, at least 1 ({@link #DEFAULT_MAX_EVENTS})
 * @param maxWait   T, positive ({@link #DEFAULT_MAX_WAIT})
 */
public record AnchorBatchPolicy(int maxEvents, Duration maxWait) {
    /** 1,000 events: the gas per event is then about 1/1,000 of one anchor per event. */
    public static final int DEFAULT_MAX_EVENTS = 1000;
    /**
     * 20 s: with a run every few seconds, 2 confirmations and a local block a second, stored-to-confirmed stays
     * within 60 s.
     */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(20);
    /** The largest batch the ledger is sized for. */
    public static final int MAX_EVENTS_LIMIT = 10_000;

    public AnchorBatchPolicy {
        if (maxEvents < 1 || maxEvents > MAX_EVENTS_LIMIT) {
            throw new IllegalArgumentException("batch max events must be 1.." + MAX_EVENTS_LIMIT + ": " + maxEvents);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("batch max wait must be positive: " + maxWait);
        }
    }

    public static AnchorBatchPolicy defaults() {
        return new AnchorBatchPolicy(DEFAULT_MAX_EVENTS, DEFAULT_MAX_WAIT);
    }
}
