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
                .isEqualTo(new TimeAssessment(device, device, 1_500, null, false, false));
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
    void deviceClockAheadByOneMillisecondPastTheBoundWithNoEstimateIsFlaggedAndCappedAtTheReference() {
        Instant device = ARRIVAL.plus(Duration.ofMinutes(2)).plusMillis(1);
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t).isEqualTo(new TimeAssessment(ARRIVAL, device, -120_001, null, true, false));
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
    void readingOneMillisecondOlderThanSevenDaysIsFlaggedLateAndKeepsItsTime() {
        Instant device = ARRIVAL.minus(Duration.ofDays(7)).minusMillis(1);
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t.late()).isTrue();
        assertThat(t.flagged()).isFalse();
        assertThat(t.eventTime()).isEqualTo(device);
        assertThat(t.deviceTime()).isEqualTo(device);
        assertThat(t.skewMillis()).isEqualTo(Duration.ofDays(7).toMillis() + 1);
    }

    @Test
    void anOceanReeferReadingForwardedThirtyDaysLateKeepsItsDeviceTime() {
        // Issue 10: a 7-day bound used to replace it with the arrival time, putting an old fact after newer ones.
        Instant device = Instant.parse("2026-10-28T10:00:00Z");
        TimeAssessment t = policy.assess(device, ARRIVAL);
        assertThat(t).isEqualTo(new TimeAssessment(device, device, 30L * 24 * 3_600_000, null, false, true));
    }

    @Test
    void aSendStampGivesTheClockOffsetWhichCorrectsTheDeviceTime() {
        // The device clock is 1 h behind: it read at 08:59:30 (its clock) and sent at 09:00:00 (its clock); the
        // broker received at 10:00:00.400 (true time). Offset = broker - sent = 3 600 400 ms; corrected = 09:59:30.400.
        Instant read = Instant.parse("2026-11-27T08:59:30Z");
        Instant sent = Instant.parse("2026-11-27T09:00:00Z");
        Instant broker = Instant.parse("2026-11-27T10:00:00.400Z");
        TimeAssessment t = policy.assess(read, sent, broker, broker);
        assertThat(t).isEqualTo(new TimeAssessment(Instant.parse("2026-11-27T09:59:30.400Z"), read,
                3_630_400, 3_600_400L, true, false));
    }

    @Test
    void aSpooledReadingSentAMonthLateIsCorrectedOnlyByTheClockOffsetNotByItsTimeInTheSpool() {
        // Clock 10 s ahead; the reading waited 30 days in the spool; sent stamp at send time, so the offset is -10 s.
        Instant read = Instant.parse("2026-10-28T10:00:10Z");
        Instant sent = Instant.parse("2026-11-27T10:00:10.300Z");
        Instant broker = Instant.parse("2026-11-27T10:00:00.500Z");
        TimeAssessment t = policy.assess(read, sent, broker, broker);
        assertThat(t.offsetMillis()).isEqualTo(-9_800L);
        assertThat(t.eventTime()).isEqualTo(Instant.parse("2026-10-28T10:00:00.200Z"));
        assertThat(t.flagged()).isFalse();
        assertThat(t.late()).isTrue();
    }

    @Test
    void anOffsetWithinTheToleranceIsNetworkDelayAndNotApplied() {
        Instant read = ARRIVAL.minusSeconds(60);
        TimeAssessment t = policy.assess(read, ARRIVAL.minusMillis(1_900), ARRIVAL, ARRIVAL);
        assertThat(t.offsetMillis()).isEqualTo(1_900L);
        assertThat(t.eventTime()).isEqualTo(read);
        TimeAssessment beyond = policy.assess(read, ARRIVAL.minusMillis(2_001), ARRIVAL, ARRIVAL);
        assertThat(beyond.eventTime()).isEqualTo(read.plusMillis(2_001));
    }

    @Test
    void identicalTimesHaveZeroSkew() {
        assertThat(policy.assess(ARRIVAL, ARRIVAL)).isEqualTo(new TimeAssessment(ARRIVAL, ARRIVAL, 0, null, false, false));
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
        assertThat(strict.assess(ARRIVAL.minus(Duration.ofHours(2)), ARRIVAL).late()).isTrue();
        assertThat(policy.assess(ARRIVAL.minus(Duration.ofHours(2)), ARRIVAL).late()).isFalse();
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
