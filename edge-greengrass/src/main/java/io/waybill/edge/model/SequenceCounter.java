package io.waybill.edge.model;

/**
 * The per-device message sequence: one counter per edge device, shared by every model that emits
 * {@link EdgeMessage}s on it (the reefer's {@link ReeferEdgeModel} and the conveyors' {@link ConveyorEdgeModel}), so
 * the sequence stays strictly increasing across all message kinds. Not thread-safe (the component serialises the
 * models).
 */
public final class SequenceCounter {
    private long next;

    /** @param first the first sequence number to hand out (the spool's last sequence + 1 after a restart) */
    public SequenceCounter(long first) {
        if (first < 0) {
            throw new IllegalArgumentException("first sequence must be >= 0, was " + first);
        }
        this.next = first;
    }

    /** Hands out the next sequence number. */
    public long next() {
        return next++;
    }

    /** The sequence number {@link #next()} will hand out, without taking it. */
    public long peek() {
        return next;
    }
}
