package io.waybill.domain.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Waybill's one rule for event time, used by every consumer through the canonical event's {@code time}. The device
 * time is the fact and is always kept ({@code devicetime}); {@code time} is the device time on a corrected clock:
 * <ol>
 *   <li><b>Offset known.</b> When the message carries its own send stamp (device clock, stamped as it was published:
 *       Waybill's edge component sends {@code sentTime}) and the broker's receive time, the device clock's offset is
 *       estimated as {@code brokerTime - sentTime} (true offset plus the network delay, so an upper bound on how far
 *       the clock is behind). An estimate within {@link #offsetTolerance()} (network jitter) is not applied; a larger
 *       one is added to the device time. The offset is flagged ({@code clockskewed}) when it exceeds
 *       {@link #maxClockOffset()}, and applied all the same: a clock an hour behind still gives the right time.</li>
 *   <li><b>Offset unknown</b> (vendors without a send stamp): the device time is kept. A device time more than
 *       {@link #maxFutureSkew()} <em>after</em> the reference cannot be a real reading (the reference is when the
 *       message reached us): the clock is flagged and the time capped at the reference, the least correction that
 *       makes it possible.</li>
 *   <li><b>Age.</b> A time more than {@link #maxPastAge()} before the reference is flagged {@code late} and kept:
 *       a store-and-forward logger or an ocean reefer offline for a month sends real readings weeks late, and
 *       rewriting them to the arrival time would put old facts after newer ones.</li>
 * </ol>
 * Immutable; build with {@link #builder()} or take {@link #defaults()}.
 *
 * <pre>{@code
 * ClockSkewPolicy policy = ClockSkewPolicy.builder().maxFutureSkew(Duration.ofSeconds(30)).build();
 * TimeAssessment t = policy.assess(deviceTime, sentTime, brokerTime, reference);
 * }</pre>
 */
public final class ClockSkewPolicy {
    /**
     * Default for {@link #maxFutureSkew()}: a device time more than 2 minutes after the reference means the device
     * clock is wrong.
     */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(2);
    /** Default for {@link #maxPastAge()}: an event older than 7 days when it reaches us is flagged late. */
    public static final Duration DEFAULT_MAX_PAST_AGE = Duration.ofDays(7);
    /** Default for {@link #maxClockOffset()}: an NTP-synchronised clock is within well under a second. */
    public static final Duration DEFAULT_MAX_CLOCK_OFFSET = Duration.ofMinutes(2);
    /** Default for {@link #offsetTolerance()}: offset estimates within 2 s are network delay, not clock error. */
    public static final Duration DEFAULT_OFFSET_TOLERANCE = Duration.ofSeconds(2);

    private static final ClockSkewPolicy DEFAULTS = new ClockSkewPolicy(DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_PAST_AGE,
            DEFAULT_MAX_CLOCK_OFFSET, DEFAULT_OFFSET_TOLERANCE);

    private final Duration maxFutureSkew;
    private final Duration maxPastAge;
    private final Duration maxClockOffset;
    private final Duration offsetTolerance;

    private ClockSkewPolicy(Duration maxFutureSkew, Duration maxPastAge, Duration maxClockOffset,
                            Duration offsetTolerance) {
        this.maxFutureSkew = requireNonNegative(maxFutureSkew, "maxFutureSkew");
        this.maxPastAge = requireNonNegative(maxPastAge, "maxPastAge");
        this.maxClockOffset = requireNonNegative(maxClockOffset, "maxClockOffset");
        this.offsetTolerance = requireNonNegative(offsetTolerance, "offsetTolerance");
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
        return new Builder().maxFutureSkew(maxFutureSkew).maxPastAge(maxPastAge).maxClockOffset(maxClockOffset)
                .offsetTolerance(offsetTolerance);
    }

    /** How far after the reference a device time with no offset estimate may be before it is capped (bound included). */
    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    /** How old an event may be when it reaches us before it is flagged late (bound included); never rewritten. */
    public Duration maxPastAge() {
        return maxPastAge;
    }

    /** How large an estimated clock offset may be before the clock is flagged (bound included); applied either way. */
    public Duration maxClockOffset() {
        return maxClockOffset;
    }

    /** Offset estimates within this (either way) are taken as network delay and not applied. */
    public Duration offsetTolerance() {
        return offsetTolerance;
    }

    /** {@link #assess(Instant, Instant, Instant, Instant)} for a message without a send stamp. */
    public TimeAssessment assess(Instant deviceTime, Instant reference) {
        return assess(deviceTime, null, null, reference);
    }

    /**
     * Applies the rule in the class comment.
     *
     * @param deviceTime when it happened by the device clock (UTC)
     * @param sentTime   when the device published the message by its clock, or null
     * @param brokerTime when the broker received it, or null
     * @param reference  the earliest trusted server time for the record: broker time, else stream arrival, else
     *                   processing time
     */
    public TimeAssessment assess(Instant deviceTime, Instant sentTime, Instant brokerTime, Instant reference) {
        Objects.requireNonNull(deviceTime, "deviceTime");
        Objects.requireNonNull(reference, "reference");
        Long offsetMillis = null;
        Instant corrected = deviceTime;
        boolean flagged = false;
        if (sentTime != null && brokerTime != null) {
            Duration offset = Duration.between(sentTime, brokerTime);
            offsetMillis = offset.toMillis();
            if (offset.abs().compareTo(offsetTolerance) > 0) {
                corrected = deviceTime.plus(offset);
            }
            flagged = offset.abs().compareTo(maxClockOffset) > 0;
        }
        if (Duration.between(reference, corrected).compareTo(maxFutureSkew) > 0) {
            flagged = true;
            corrected = reference;
        }
        boolean late = Duration.between(corrected, reference).compareTo(maxPastAge) > 0;
        return new TimeAssessment(corrected, deviceTime, Duration.between(deviceTime, reference).toMillis(),
                offsetMillis, flagged, late);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClockSkewPolicy that
                && maxFutureSkew.equals(that.maxFutureSkew) && maxPastAge.equals(that.maxPastAge)
                && maxClockOffset.equals(that.maxClockOffset) && offsetTolerance.equals(that.offsetTolerance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxFutureSkew, maxPastAge, maxClockOffset, offsetTolerance);
    }

    @Override
    public String toString() {
        return "ClockSkewPolicy{maxFutureSkew=" + maxFutureSkew + ", maxPastAge=" + maxPastAge + ", maxClockOffset="
                + maxClockOffset + ", offsetTolerance=" + offsetTolerance + '}';
    }

    private static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    /**
     * The outcome of {@link #assess(Instant, Instant, Instant, Instant)}.
     *
     * @param eventTime    the canonical event time: the device time on the corrected clock
     * @param deviceTime   the time the device reported, unchanged
     * @param skewMillis   reference minus device time in ms (positive: behind, or stored and forwarded)
     * @param offsetMillis the estimated clock offset in ms (positive: the device clock is behind), null if unknown
     * @param flagged      the device clock is implausible (offset over the bound, or ahead with no estimate)
     * @param late         the event reached us more than the maximum age after it happened
     */
    public record TimeAssessment(Instant eventTime, Instant deviceTime, long skewMillis, Long offsetMillis,
                                 boolean flagged, boolean late) {
        public TimeAssessment {
            Objects.requireNonNull(eventTime, "eventTime");
            Objects.requireNonNull(deviceTime, "deviceTime");
        }
    }

    /** Builds a {@link ClockSkewPolicy}; unset values keep their defaults. */
    public static final class Builder {
        private Duration maxFutureSkew = DEFAULT_MAX_FUTURE_SKEW;
        private Duration maxPastAge = DEFAULT_MAX_PAST_AGE;
        private Duration maxClockOffset = DEFAULT_MAX_CLOCK_OFFSET;
        private Duration offsetTolerance = DEFAULT_OFFSET_TOLERANCE;

        private Builder() {
        }

        /** See {@link ClockSkewPolicy#maxClockOffset()}; must not be null or negative. */
        public Builder maxClockOffset(Duration maxClockOffset) {
            this.maxClockOffset = Objects.requireNonNull(maxClockOffset, "maxClockOffset");
            return this;
        }

        /** See {@link ClockSkewPolicy#offsetTolerance()}; must not be null or negative. */
        public Builder offsetTolerance(Duration offsetTolerance) {
            this.offsetTolerance = Objects.requireNonNull(offsetTolerance, "offsetTolerance");
            return this;
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
            return new ClockSkewPolicy(maxFutureSkew, maxPastAge, maxClockOffset, offsetTolerance);
        }
    }
}
