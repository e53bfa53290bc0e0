package io.waybill.domain.partner;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How failed entries are retried: exponential backoff with full jitter (sleep a uniform random time in
 * [0, min(cap, base * 2^(attempt-1))]), at most {@code maxAttempts} calls per entry, then the entry is dead-lettered.
 * Per-entry error codes in {@link #PERMANENT_ERRORS} are not retried.
 *
 * @param maxAttempts calls per entry including the first (default {@value #DEFAULT_MAX_ATTEMPTS})
 * @param base        first backoff ceiling (default 100 ms)
 * @param cap         largest backoff ceiling (default 5 s)
 */
public record DeliveryPolicy(int maxAttempts, Duration base, Duration cap) {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_BASE = Duration.ofMillis(100);
    public static final Duration DEFAULT_CAP = Duration.ofSeconds(5);
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE, DEFAULT_CAP);

    /** Per-entry errors a resend cannot cure (the entry itself is wrong, or the caller may not put it). */
    public static final Set<String> PERMANENT_ERRORS = Set.of("ValidationException", "MalformedDetail",
            "InvalidArgument", "AccessDeniedException", "NotAuthorizedForSourceException",
            "NotAuthorizedForDetailTypeException");

    public DeliveryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= cap: " + base + ", " + cap);
        }
    }

    /** The ceiling of the sleep before retry number {@code retry} (1 = the first retry). */
    public long ceilingMillis(int retry) {
        long ceiling = base.toMillis() << Math.min(retry - 1, 30);
        return Math.min(cap.toMillis(), ceiling < 0 ? Long.MAX_VALUE : ceiling);
    }

    public boolean retryable(String errorCode) {
        return !PERMANENT_ERRORS.contains(errorCode);
    }
}
