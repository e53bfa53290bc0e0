package io.waybill.domain.time;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class DeviceTimestampsTest {
    private static final Instant T = Instant.parse("2026-11-27T10:00:00Z");
    private static final long T_SECONDS = 1_795_773_600L;

    @Nested
    class EpochSeconds {

        @Test
        void wholeSecondsBecomeAnInstant() {
            assertThat(DeviceTimestamps.fromEpochSeconds(T_SECONDS, "ts")).isEqualTo(T);
            assertThat(DeviceTimestamps.fromEpochSeconds("1795773600", "ts")).isEqualTo(T);
            assertThat(DeviceTimestamps.fromEpochSeconds(" 1795773600 ", "ts")).isEqualTo(T);
        }

        @Test
        void fractionalEpochSecondsKeepTheFraction() {
            assertThat(DeviceTimestamps.fromEpochSeconds("1732700000.5", "win_start"))
                    .isEqualTo(Instant.parse("2024-11-27T09:33:20.500Z"));
            assertThat(DeviceTimestamps.fromEpochSeconds("1795773600.123456789", "ts"))
                    .isEqualTo(T.plusNanos(123_456_789));
        }

        @Test
        void digitsBeyondNanosecondsAreTruncated() {
            assertThat(DeviceTimestamps.fromEpochSeconds("1795773600.1234567899", "ts"))
                    .isEqualTo(T.plusNanos(123_456_789));
        }

        @Test
        void plausibleRangeBoundsAreIncluded() {
            assertThat(DeviceTimestamps.fromEpochSeconds(946_684_800L, "ts")).isEqualTo(DeviceTimestamps.EARLIEST_PLAUSIBLE);
            assertThat(DeviceTimestamps.fromEpochSeconds(4_102_444_800L, "ts")).isEqualTo(DeviceTimestamps.LATEST_PLAUSIBLE);
        }

        @Test
        void oneSecondOutsideThePlausibleRangeIsRejected() {
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(946_684_799L, "ts"), RejectionReason.INVALID_TIME)
                    .isEqualTo("ts \"946684799\": epoch seconds (1999-12-31T23:59:59Z) is before 2000-01-01T00:00:00Z,"
                            + " outside the plausible range 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z");
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds("4102444800.001", "ts"), RejectionReason.INVALID_TIME)
                    .contains("is after 2100-01-01T00:00:00Z");
        }

        @Test
        void resetDeviceClockAtTheEpochIsRejected() {
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(0, "fix.ts"), RejectionReason.INVALID_TIME)
                    .startsWith("fix.ts \"0\": epoch seconds (1970-01-01T00:00:00Z) is before 2000-01-01T00:00:00Z");
        }

        @Test
        void millisecondsSentAsSecondsAreRejectedWithAHint() {
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(1_795_773_600_000L, "fix.ts"),
                    RejectionReason.INVALID_TIME)
                    .endsWith("; the value looks like epoch milliseconds, but this field is epoch seconds");
        }

        @Test
        void extremeValuesAreRejectedWithoutOverflow() {
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(Long.MAX_VALUE, "ts"), RejectionReason.INVALID_TIME)
                    .contains("is after 2100-01-01T00:00:00Z");
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(Long.MIN_VALUE, "ts"), RejectionReason.INVALID_TIME)
                    .contains("is before 2000-01-01T00:00:00Z");
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds("9".repeat(40), "ts"), RejectionReason.INVALID_TIME)
                    .contains("is after 2100-01-01T00:00:00Z");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.7957736E9", "1795773600,5", "0x6B0A3C20", "2026-11-27T10:00:00Z", "17957 73600",
                "1795773600.", "NaN"})
        void nonNumbersAreRejected(String text) {
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(text, "ts"), RejectionReason.INVALID_TIME)
                    .endsWith("is not a number of epoch seconds (ASCII digits, optionally with a '.' fraction)");
        }

        @Test
        void missingIsMissingField() {
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds(null, "win_start"), RejectionReason.MISSING_FIELD)
                    .isEqualTo("win_start: missing");
            assertRejected(() -> DeviceTimestamps.fromEpochSeconds("", "win_start"), RejectionReason.MISSING_FIELD)
                    .isEqualTo("win_start: blank");
        }
    }

    @Nested
    class EpochMillis {

        @Test
        void millisecondsBecomeAnInstant() {
            assertThat(DeviceTimestamps.fromEpochMillis(1_795_773_600_123L, "reading.at")).isEqualTo(T.plusMillis(123));
            assertThat(DeviceTimestamps.fromEpochMillis("1795773600123", "reading.at")).isEqualTo(T.plusMillis(123));
        }

        @Test
        void fractionalMillisecondsAsJavaScriptPrintsThemAreAccepted() {
            assertThat(DeviceTimestamps.fromEpochMillis("1795773600123.0", "at")).isEqualTo(T.plusMillis(123));
            assertThat(DeviceTimestamps.fromEpochMillis("1795773600123.25", "at")).isEqualTo(T.plusNanos(123_250_000));
        }

        @Test
        void secondsSentAsMillisecondsAreRejectedWithAHint() {
            assertRejected(() -> DeviceTimestamps.fromEpochMillis(1_795_773_600L, "reading.at"), RejectionReason.INVALID_TIME)
                    .isEqualTo("reading.at \"1795773600\": epoch milliseconds (1970-01-21T18:49:33Z) is before"
                            + " 2000-01-01T00:00:00Z, outside the plausible range 2000-01-01T00:00:00Z to"
                            + " 2100-01-01T00:00:00Z; the value looks like epoch seconds, but this field is epoch"
                            + " milliseconds");
        }

        @Test
        void microsecondsSentAsMillisecondsAreRejectedWithAHint() {
            assertRejected(() -> DeviceTimestamps.fromEpochMillis(1_795_773_600_123_456L, "at"), RejectionReason.INVALID_TIME)
                    .endsWith("the value looks like epoch microseconds, but this field is epoch milliseconds");
        }

        @Test
        void plausibleRangeBoundsAreIncluded() {
            assertThat(DeviceTimestamps.fromEpochMillis(946_684_800_000L, "at")).isEqualTo(DeviceTimestamps.EARLIEST_PLAUSIBLE);
            assertRejected(() -> DeviceTimestamps.fromEpochMillis(946_684_799_999L, "at"), RejectionReason.INVALID_TIME);
            assertThat(DeviceTimestamps.fromEpochMillis(4_102_444_800_000L, "at")).isEqualTo(DeviceTimestamps.LATEST_PLAUSIBLE);
            assertRejected(() -> DeviceTimestamps.fromEpochMillis(4_102_444_800_001L, "at"), RejectionReason.INVALID_TIME);
        }

        @Test
        void nonNumbersAreRejected() {
            assertRejected(() -> DeviceTimestamps.fromEpochMillis("1.795773600123e12", "at"), RejectionReason.INVALID_TIME)
                    .endsWith("is not a number of epoch milliseconds (ASCII digits, optionally with a '.' fraction)");
        }
    }

    @Nested
    class Iso {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "2026-11-27T10:00:00Z,               2026-11-27T10:00:00Z",
                "2026-11-27T10:00:00.123Z,           2026-11-27T10:00:00.123Z",
                "2026-11-27T10:00:00.123456789Z,     2026-11-27T10:00:00.123456789Z",
                "2026-11-27T15:30:00+05:30,          2026-11-27T10:00:00Z",
                "2026-11-27T04:00:00-06:00,          2026-11-27T10:00:00Z",
                "2026-11-27T10:00:00+00:00,          2026-11-27T10:00:00Z",
                "2026-11-27T10:00:00-00:00,          2026-11-27T10:00:00Z",
                "2026-11-28T00:45:00+14:45,          2026-11-27T10:00:00Z",
                "2026-11-27T15:30:00+0530,           2026-11-27T10:00:00Z",
                "2026-11-27t10:00:00z,               2026-11-27T10:00:00Z",
                "2026-11-27 10:00:00Z,               2026-11-27T10:00:00Z",
                "2026-11-27T10:00Z,                  2026-11-27T10:00:00Z",
                "'  2026-11-27T10:00:00Z  ',         2026-11-27T10:00:00Z"
        })
        void offsetTimesAreConvertedToUtc(String text, String utc) {
            assertThat(DeviceTimestamps.fromIso(text, "ts")).isEqualTo(Instant.parse(utc));
        }

        @Test
        void offsetAcrossMidnightOfALeapDayLandsOnTheRightUtcDate() {
            assertThat(DeviceTimestamps.fromIso("2028-02-29T23:30:00-01:00", "ts"))
                    .isEqualTo(Instant.parse("2028-03-01T00:30:00Z"));
            assertThat(DeviceTimestamps.fromIso("2028-03-01T03:00:00+05:30", "ts"))
                    .isEqualTo(Instant.parse("2028-02-29T21:30:00Z"));
        }

        @Test
        void leapDayOfACommonYearIsRejected() {
            assertRejected(() -> DeviceTimestamps.fromIso("2027-02-29T10:00:00Z", "ts"), RejectionReason.INVALID_TIME)
                    .isEqualTo("ts \"2027-02-29T10:00:00Z\": is not an RFC 3339 timestamp such as"
                            + " 2026-11-27T10:00:00Z: Invalid date 'February 29' as '2027' is not a leap year");
        }

        @Test
        void fixedOffsetsIgnoreDaylightSavingTransitions() {
            // 2026-03-29 is the EU spring-forward day; 02:30 local does not exist in Europe/Berlin, but a fixed
            // offset is just arithmetic
            assertThat(DeviceTimestamps.fromIso("2026-03-29T02:30:00+01:00", "ts"))
                    .isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
            assertThat(DeviceTimestamps.fromIso("2026-10-25T02:30:00+02:00", "ts"))
                    .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
            assertThat(DeviceTimestamps.fromIso("2026-10-25T02:30:00+01:00", "ts"))
                    .isEqualTo(Instant.parse("2026-10-25T01:30:00Z"));
        }

        @Test
        void localTimeWithoutOffsetIsRejectedSayingTheOffsetIsMissing() {
            assertRejected(() -> DeviceTimestamps.fromIso("2026-11-27T10:00:00", "event.time"), RejectionReason.INVALID_TIME)
                    .isEqualTo("event.time \"2026-11-27T10:00:00\": has no UTC offset, so the instant is ambiguous;"
                            + " add Z (UTC) or an offset such as +05:30");
            assertRejected(() -> DeviceTimestamps.fromIso("2026-11-27 10:00:00.5", "t"), RejectionReason.INVALID_TIME)
                    .contains("has no UTC offset");
        }

        @Test
        void dateWithoutTimeIsRejected() {
            assertRejected(() -> DeviceTimestamps.fromIso("2026-11-27", "t"), RejectionReason.INVALID_TIME)
                    .endsWith("is a date without a time of day and offset; expected e.g. 2026-11-27T10:00:00Z");
        }

        @ParameterizedTest
        @ValueSource(strings = {"27/11/2026 10:00", "1795773600", "2026-11-27T25:00:00Z", "2026-13-01T10:00:00Z",
                "2026-11-27T10:00:00+01:00[Europe/Paris]", "2026-11-27T10:00:00 Z", "Fri, 27 Nov 2026 10:00:00 GMT"})
        void otherFormatsAreRejected(String text) {
            assertRejected(() -> DeviceTimestamps.fromIso(text, "t"), RejectionReason.INVALID_TIME)
                    .contains("is not an RFC 3339 timestamp such as 2026-11-27T10:00:00Z");
        }

        @Test
        void implausibleYearsAreRejected() {
            assertRejected(() -> DeviceTimestamps.fromIso("1999-12-31T23:59:59Z", "t"), RejectionReason.INVALID_TIME)
                    .isEqualTo("t \"1999-12-31T23:59:59Z\": is before 2000-01-01T00:00:00Z, outside the plausible range"
                            + " 2000-01-01T00:00:00Z to 2100-01-01T00:00:00Z");
            // in UTC this is still 1999
            assertRejected(() -> DeviceTimestamps.fromIso("2000-01-01T00:30:00+01:00", "t"), RejectionReason.INVALID_TIME);
            assertThat(DeviceTimestamps.fromIso("2000-01-01T01:00:00+01:00", "t"))
                    .isEqualTo(DeviceTimestamps.EARLIEST_PLAUSIBLE);
            assertRejected(() -> DeviceTimestamps.fromIso("2100-01-01T00:00:00.001Z", "t"), RejectionReason.INVALID_TIME)
                    .contains("is after 2100-01-01T00:00:00Z");
        }

        @Test
        void missingIsMissingField() {
            assertRejected(() -> DeviceTimestamps.fromIso(" ", "t"), RejectionReason.MISSING_FIELD).isEqualTo("t: blank");
        }
    }

    @Nested
    class Format {

        @Test
        void wholeSecondsHaveNoFraction() {
            assertThat(DeviceTimestamps.format(T)).isEqualTo("2026-11-27T10:00:00Z");
        }

        @Test
        void nonZeroMillisecondsAreAlwaysThreeDigits() {
            assertThat(DeviceTimestamps.format(T.plusMillis(123))).isEqualTo("2026-11-27T10:00:00.123Z");
            assertThat(DeviceTimestamps.format(T.plusMillis(120))).isEqualTo("2026-11-27T10:00:00.120Z");
            assertThat(DeviceTimestamps.format(T.plusMillis(5))).isEqualTo("2026-11-27T10:00:00.005Z");
        }

        @Test
        void subMillisecondDigitsAreTruncated() {
            assertThat(DeviceTimestamps.format(T.plusNanos(123_999_999))).isEqualTo("2026-11-27T10:00:00.123Z");
            assertThat(DeviceTimestamps.format(T.plusNanos(999_999))).isEqualTo("2026-11-27T10:00:00Z");
        }

        @Test
        void formatRoundTripsThroughFromIso() {
            Instant instant = Instant.parse("2028-02-29T23:59:59.999Z");
            assertThat(DeviceTimestamps.fromIso(DeviceTimestamps.format(instant), "t")).isEqualTo(instant);
        }

        @Test
        void fromIsoWithOffsetFormatsAsUtc() {
            assertThat(DeviceTimestamps.format(DeviceTimestamps.fromIso("2026-11-27T15:30:00.250+05:30", "t")))
                    .isEqualTo("2026-11-27T10:00:00.250Z");
        }
    }
}
