package io.waybill.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The record age a consumer gives a batch up at, from its stream's retention (values worked by hand). */
class StreamConsumerTest {

    private static long maxRecordAgeSeconds(int retentionHours) {
        return StreamConsumer.maxRecordAge(Duration.hours(retentionHours)).toSeconds().longValue();
    }

    @Test
    void recordsAreGivenUpAnHourBeforeTheStreamTrimsThem() {
        assertThat(maxRecordAgeSeconds(24)).isEqualTo(82_800);    // 23 h
        assertThat(maxRecordAgeSeconds(48)).isEqualTo(169_200);   // 47 h
        assertThat(maxRecordAgeSeconds(168)).isEqualTo(601_200);  // 167 h
    }

    @Test
    void aStreamKeptLongerThanAWeekIsCappedAtLambdasMaximumRecordAge() {
        // Lambda accepts at most 604 800 s (7 days) as MaximumRecordAgeInSeconds
        assertThat(maxRecordAgeSeconds(169)).isEqualTo(604_800);
        assertThat(maxRecordAgeSeconds(8760)).isEqualTo(604_800);
    }
}
