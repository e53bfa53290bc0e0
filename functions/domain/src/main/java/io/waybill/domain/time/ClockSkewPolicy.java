package io.waybill.domain.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How far a device clock may disagree with Waybill's reference time before the device time stops being the event
 * time. Immutable; build with {@link #builder()} or take {@link #defaults()}.
 *
 * <p>The bounds are asymmetric on purpose. A device time <em>ahead</em> of the reference is impossible for a real
 * reading (the reference is when the record reached us), so only a little NTP slack is allowed
 * ({@link #DEFAULT_MAX_FUTURE_SKEW}). A device time <em>behind</em> the reference is normal: loggers store readings
 * while out of coverage and forward them later, so it is accepted up to {@link #DEFAULT_MAX_PAST_AGE}.
 *
 * <pre>{@code
 * ClockSkewPolicy policy = ClockSkewPolicy.builder()
 *         .maxFutureSkew(Duration.ofSeconds(30))
 *         .maxPastAge(Duration.ofDays(30))
 *         .build();
 * TimeAssessment t = policy.assess(deviceTime, streamArrivalTime);
 * }</pre>
 */
public final class ClockSkewPolicy {
    /**
     * Default for {@link #maxFutureSkew()}: a device time more than 2 minutes after the reference means the device
     * clock is wrong.
     */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(2);
    /**
     * Default for {@link #maxPastAge()}: a device time up to 7 days before the reference is a store-and-forward
     * reading; older is flagged.
     */
    public static final Duration DEFAULT_MAX_PAST_AGE = Duration.ofDays(7);

    private static final ClockSkewPolicy DEFAULTS = new ClockSkewPolicy(DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_PAST_AGE);

    private final Duration maxFutureSkew;
    private final Duration maxPastAge;

    private ClockSkewPolicy(Duration maxFutureSkew, Duration maxPastAge) {
        this.maxFutureSkew = requireNonNegative(maxFutureSkew, "maxFutureSkew");
        this.maxPastAge = requireNonNegative(maxPastAge, "maxPastAge");
    }

    /** The policy with {@link #DEFAULT_MAX_FUTURE_SKEW} and {@link #DEFAULT_MAX_PAST_AGE}. */
    public static ClockSkewPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        return new Builder().maxFutureSkew(maxFutureSkew).maxPastAge(maxPastAge);
    }

    /** How far after the reference a device time may be and still be trusted (bound included). */
    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    /** How far before the reference a device time may be and still be trusted (bound included). */
    public Duration maxPastAge() {
        return maxPastAge;
    }

    /**
     * Judges a device time against the reference.
     *
     * @param deviceTime the time the device reported (UTC)
     * @param reference  the earliest trusted server time for the record: its stream arrival time, else the
     *                   processing time
     * @return skew = reference - deviceTime in ms (rounded towards negative infinity); flagged when the device time
     *         is more than {@link #maxFutureSkew()} after the reference or more than {@link #maxPastAge()} before it,
     *         a device time exactly at a bound is not flagged; event time = device time, or the reference when flagged
     */
    public TimeAssessment assess(Instant deviceTime, Instant reference) {
        Objects.requireNonNull(deviceTime, "deviceTime");
        Objects.requireNonNull(reference, "reference");
        Duration behind = Duration.between(deviceTime, reference);
        boolean flagged = behind.negated().compareTo(maxFutureSkew) > 0 || behind.compareTo(maxPastAge) > 0;
        return new TimeAssessment(flagged ? reference : deviceTime, deviceTime, behind.toMillis(), flagged);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClockSkewPolicy that
                && maxFutureSkew.equals(that.maxFutureSkew) && maxPastAge.equals(that.maxPastAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxFutureSkew, maxPastAge);
    }

    @Override
    public String toString() {
        return "ClockSkewPolicy{maxFutureSkew=" + maxFutureSkew + ", maxPastAge=" + maxPastAge + '}';
    }

    private static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /**
     * The outcome of {@link #assess(Instant, Instant)}.
     *
     * @param eventTime  the time to use as the canonical event time: the device time, or the reference when flagged
     * @param deviceTime the time the device reported, unchanged
     * @param skewMillis reference minus device time in milliseconds (positive: the device clock is behind, or the
     *                   reading was stored and forwarded; negative: the device clock is ahead)
     * @param flagged    true when the device time is outside the policy's bounds and was replaced by the reference
     */
    public record TimeAssessment(Instant eventTime, Instant deviceTime, long skewMillis, boolean flagged) {
        public TimeAssessment {
            Objects.requireNonNull(eventTime, "eventTime");
            Objects.requireNonNull(deviceTime, "deviceTime");
        }
    }

    /** Builds a {@link ClockSkewPolicy}; unset values keep their defaults. */
    public static final class Builder {
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private Duration maxPastAge = DEFAULT_MAX_PAST_AGE;

        private Builder() {
        }

        /** See {@link ClockSkewPolicy#maxFutureSkew()}; must not be null or negative. */
        public Builder maxFutureSkew(Duration maxFutureSkew) {
            this.maxFutureSkew = Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
            return this;
        }

        /** See {@link ClockSkewPolicy#maxPastAge()}; must not be null or negative. */
        public Builder maxPastAge(Duration maxPastAge) {
            this.maxPastAge = Objects.requireNonNull(maxPastAge, "maxPastAge");
            return this;
        }

        /**
         * @throws IllegalArgumentException when a duration is negative
         */
        public ClockSkewPolicy build() {
            return new ClockSkewPolicy(maxFutureSkew, maxPastAge);
        }
    }
}
