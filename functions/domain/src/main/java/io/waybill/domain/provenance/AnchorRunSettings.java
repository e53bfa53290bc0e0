package io.waybill.domain.provenance;

import java.time.Duration;
import java.util.Objects;

/**
 * How the writer and the confirmer behave.
 *
 * @param confirmations  blocks on top of (and including) the inclusion block before a batch is confirmed
 *                       ({@link #DEFAULT_CONFIRMATIONS})
 * @param stuckAfter     how long a sent transaction may stay unmined before it is rebroadcast or replaced
 *                       ({@link #DEFAULT_STUCK_AFTER})
 * @param feeBumpPercent the raise of both fees for a replacement, at least {@link #MIN_FEE_BUMP_PERCENT}
 * @param uriBase        the batch's {@code uri} is this plus the root ({@link #DEFAULT_URI_BASE})
 * @param lease          how long a pass holds the writer lease between renewals ({@link #DEFAULT_LEASE})
 */
public record AnchorRunSettings(int confirmations, Duration stuckAfter, int feeBumpPercent, String uriBase,
                                Duration lease) {
    public static final int DEFAULT_CONFIRMATIONS = 2;
    public static final Duration DEFAULT_STUCK_AFTER = Duration.ofSeconds(30);
    public static final int DEFAULT_FEE_BUMP_PERCENT = 15;
    /** geth and anvil refuse a replacement that raises the fees by less than 10 %. */
    public static final int MIN_FEE_BUMP_PERCENT = 10;
    public static final String DEFAULT_URI_BASE = "urn:waybill:anchor-batch:";
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(90);
    /** The gas limit is the node's estimate times 5/4. */
    public static final int GAS_LIMIT_PERCENT = 125;

    public AnchorRunSettings {
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations must be at least 1: " + confirmations);
        }
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuck-after must be positive: " + stuckAfter);
        }
        if (feeBumpPercent < MIN_FEE_BUMP_PERCENT || feeBumpPercent > 1000) {
            throw new IllegalArgumentException("fee bump must be " + MIN_FEE_BUMP_PERCENT + "..1000 %: "
                    + feeBumpPercent);
        }
        Objects.requireNonNull(uriBase, "uriBase");
        Objects.requireNonNull(lease, "lease");
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the writer lease must last at least a second: " + lease);
        }
    }

    public static AnchorRunSettings defaults() {
        return new AnchorRunSettings(DEFAULT_CONFIRMATIONS, DEFAULT_STUCK_AFTER, DEFAULT_FEE_BUMP_PERCENT,
                DEFAULT_URI_BASE, DEFAULT_LEASE);
    }

    /** The batch's {@code uri} argument. */
    public String uri(String root) {
        return uriBase + root;
    }

    /** {@code estimate × 1.25}, rounded up. */
    public static long gasLimit(long estimate) {
        return Math.addExact(estimate, (estimate + 3) / 4);
    }
}
