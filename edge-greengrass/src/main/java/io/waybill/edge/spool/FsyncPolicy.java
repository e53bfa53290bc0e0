package io.waybill.edge.spool;

import java.time.Duration;
import java.util.Objects;

/**
 * When the spool forces what it wrote to the storage device ({@code fsync}/{@code fdatasync}).
 *
 * <p>Every append is handed to the operating system before {@link Spool#append append} returns, so a crash of the
 * <em>process</em> loses nothing whatever the policy. The policy only decides what a <em>power cut or kernel
 * crash</em> may lose: with {@link #EVERY_WRITE} nothing that was appended; with {@link #batched(Duration)} at most
 * the messages appended in the last {@code maxDelay} (a background thread forces them at that interval). An fsync made
 * for any reason (an alert, an acknowledgement, a batch) covers everything appended before it.
 *
 * @param maxDelay how long an appended message may stay only in the page cache; {@link Duration#ZERO} means every
 *     write is forced before {@code append} returns
 */
public record FsyncPolicy(Duration maxDelay) {

    /** Force every append before it returns: an alert that was accepted survives a power cut. */
    public static final FsyncPolicy EVERY_WRITE = new FsyncPolicy(Duration.ZERO);

    public FsyncPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative but was " + maxDelay);
        }
    }

    /**
     * Force at most {@code maxDelay} after a write, together with whatever else was written meanwhile: one fsync for
     * many messages, less wear on the device's flash.
     */
    public static FsyncPolicy batched(Duration maxDelay) {
        if (maxDelay.isZero() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("a batched fsync needs a positive maxDelay but was " + maxDelay);
        }
        return new FsyncPolicy(maxDelay);
    }

    /** Whether every write is forced before {@code append} returns. */
    public boolean isEveryWrite() {
        return maxDelay.isZero();
    }
}
