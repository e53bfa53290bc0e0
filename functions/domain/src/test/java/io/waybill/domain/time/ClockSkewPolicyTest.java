package io.waybill.domain.time;

import io.waybill.domain.time.ClockSkewPolicy.TimeAssessment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClockSkewPolicyTest {
    private static final Instant ARRIVAL = Instant.parse("2026-11-27T10:00:00Z");
    private final ClockSkewPolicy policy = ClockSkewPolicy.defaults();

    @Test
    void defaultsAreTwoMinutesAheadAndSevenDaysBehind() {
        assertThat(ClockSkewPolicy.DEFAULT_MAX_FUTURE_SKEW).isEqualTo(Duration.ofMinutes(2));
        assertThat(ClockSkewPolicy.DEFAULT_MAX_PAST_AGE).isEqualTo(Duration.ofDays(7));
        assertThat(policy.maxFutureSkew()).isEqualTo(ClockSkewPolicy.DEFAULT_MAX_FUTURE_SKEW);
        assertThat(policy.maxPastAge()).isEqualTo(ClockSkewPolicy.DEFAULT_MAX_PAST_AGE);
        assertThat(ClockSkewPolicy.builder().build()).isEqualTo(policy);
    }

    @Test
    void deviceTimeSlightlyBehindArrivalIsTheEventTime() {
        Instant device = ARRIVAL.minusMillis(1_500);
        assertThat(policy.assess(device, ARRIVAL))
                .isEqualTo(new TimeAssessment(device, device, 1_500, false));
    }

    @Test
    void deviceClockAheadByExactlyTheBoundIsNotFlagged() {
        Instant device = ARRIVAL.plus(Duration.ofMinutes(2));
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t.flagged()).isFalse();
        assertThat(t.eventTime()).isEqualTo(device);
        assertThat(t.skewMillis()).isEqualTo(-120_000);
    }

    @Test
    void deviceClockAheadByOneMillisecondPastTheBoundIsFlaggedAndArrivalBecomesTheEventTime() {
        Instant device = ARRIVAL.plus(Duration.ofMinutes(2)).plusMillis(1);
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t).isEqualTo(new TimeAssessment(ARRIVAL, device, -120_001, true));
    }

    @Test
    void storeAndForwardReadingExactlySevenDaysOldIsNotFlagged() {
        Instant device = ARRIVAL.minus(Duration.ofDays(7));
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t.flagged()).isFalse();
        assertThat(t.eventTime()).isEqualTo(device);
        assertThat(t.skewMillis()).isEqualTo(Duration.ofDays(7).toMillis());
    }

    @Test
    void readingOneMillisecondOlderThanSevenDaysIsFlagged() {
        Instant device = ARRIVAL.minus(Duration.ofDays(7)).minusMillis(1);
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t.flagged()).isTrue();
        assertThat(t.eventTime()).isEqualTo(ARRIVAL);
        assertThat(t.deviceTime()).isEqualTo(device);
        assertThat(t.skewMillis()).isEqualTo(Duration.ofDays(7).toMillis() + 1);
    }

    @Test
    void identicalTimesHaveZeroSkew() {
        assertThat(policy.assess(ARRIVAL, ARRIVAL)).isEqualTo(new TimeAssessment(ARRIVAL, ARRIVAL, 0, false));
    }

    @Test
    void subMillisecondPrecisionIsKeptInTimesButNotInSkew() {
        Instant device = ARRIVAL.minusNanos(1_500_000);
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t.eventTime()).isEqualTo(device);
        assertThat(t.skewMillis()).isEqualTo(1);
    }

    @Test
    void builderOverridesTheBounds() {
        ClockSkewPolicy strict = ClockSkewPolicy.builder()
                .maxFutureSkew(Duration.ofSeconds(5))
                .maxPastAge(Duration.ofHours(1))
                .build();
        assertThat(strict.maxFutureSkew()).isEqualTo(Duration.ofSeconds(5));
        assertThat(strict.maxPastAge()).isEqualTo(Duration.ofHours(1));
        assertThat(strict.assess(ARRIVAL.plusSeconds(6), ARRIVAL).flagged()).isTrue();
        assertThat(strict.assess(ARRIVAL.minus(Duration.ofHours(2)), ARRIVAL).flagged()).isTrue();
        assertThat(strict.assess(ARRIVAL.minus(Duration.ofHours(2)), ARRIVAL).flagged())
                .isNotEqualTo(policy.assess(ARRIVAL.minus(Duration.ofHours(2)), ARRIVAL).flagged());
    }

    @Test
    void unsetBuilderValuesKeepTheirDefaults() {
        ClockSkewPolicy p = ClockSkewPolicy.builder().maxPastAge(Duration.ofDays(30)).build();
        assertThat(p.maxFutureSkew()).isEqualTo(ClockSkewPolicy.DEFAULT_MAX_FUTURE_SKEW);
        assertThat(p.maxPastAge()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void toBuilderCopiesAndLeavesTheOriginalUnchanged() {
        ClockSkewPolicy copy = policy.toBuilder().maxFutureSkew(Duration.ZERO).build();
        assertThat(copy.maxFutureSkew()).isEqualTo(Duration.ZERO);
        assertThat(copy.maxPastAge()).isEqualTo(policy.maxPastAge());
        assertThat(policy.maxFutureSkew()).isEqualTo(ClockSkewPolicy.DEFAULT_MAX_FUTURE_SKEW);
    }

    @Test
    void zeroFutureSkewFlagsAnyDeviceTimeAfterTheReference() {
        ClockSkewPolicy p = ClockSkewPolicy.builder().maxFutureSkew(Duration.ZERO).build();
        assertThat(p.assess(ARRIVAL, ARRIVAL).flagged()).isFalse();
        assertThat(p.assess(ARRIVAL.plusNanos(1), ARRIVAL).flagged()).isTrue();
    }

    @Test
    void negativeOrNullBoundsAreConfigurationErrors() {
        assertThatThrownBy(() -> ClockSkewPolicy.builder().maxFutureSkew(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFutureSkew");
        assertThatThrownBy(() -> ClockSkewPolicy.builder().maxPastAge(Duration.ofDays(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPastAge");
        assertThatThrownBy(() -> ClockSkewPolicy.builder().maxPastAge(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void policiesWithTheSameBoundsAreEqual() {
        ClockSkewPolicy a = ClockSkewPolicy.builder().maxFutureSkew(Duration.ofSeconds(30)).build();
        ClockSkewPolicy b = ClockSkewPolicy.builder().maxFutureSkew(Duration.ofSeconds(30)).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(policy);
        assertThat(a.toString()).contains("PT30S").contains("PT168H");
    }
}
