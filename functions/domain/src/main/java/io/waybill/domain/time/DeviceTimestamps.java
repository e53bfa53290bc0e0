package io.waybill.domain.time;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.RejectedValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device and partner timestamps, one explicit parser per wire format: the vendor contract says which format a field
 * uses, and nothing here guesses (epoch seconds versus milliseconds, or a missing offset, are rejected, not inferred;
 * the rejection detail says what the value looks like instead).
 *
 * <p>Every parser rejects instants outside [{@link #EARLIEST_PLAUSIBLE}, {@link #LATEST_PLAUSIBLE}] (both included):
 * such a clock is not skewed but absurd, e.g. a logger that lost its RTC and restarted at 1970. Ordinary skew is
 * {@link ClockSkewPolicy}'s job.
 */
public final class DeviceTimestamps {
    /** Earliest plausible device time. */
    public static final Instant EARLIEST_PLAUSIBLE = Instant.parse("2000-01-01T00:00:00Z");
    /** Latest plausible device time. */
    public static final Instant LATEST_PLAUSIBLE = Instant.parse("2100-01-01T00:00:00Z");

    private static final Pattern EPOCH_NUMBER = Pattern.compile("[+-]?[0-9]+(?:\\.[0-9]+)?");
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9].*");
    /** A date-time ending in an offset without a colon, {@code +0530}. */
    private static final Pattern BASIC_OFFSET = Pattern.compile("(.*[Tt].*[+-][0-9]{2})([0-9]{2})");
    private static final DateTimeFormatter SECONDS_PRECISION =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Scales of epoch units relative to seconds, used to say what a rejected number looks like. */
    private static final String[] UNIT_NAMES = {"seconds", "milliseconds", "microseconds", "nanoseconds"};
    private static final long[] UNITS_PER_SECOND = {1L, 1_000L, 1_000_000L, 1_000_000_000L};

    private DeviceTimestamps() {
    }

    /**
     * The instant {@code s} whole seconds after 1970-01-01T00:00:00Z.
     *
     * @throws RejectedRecordException {@link RejectionReason#INVALID_TIME} when it is not plausible
     */
    public static Instant fromEpochSeconds(long s, String field) {
        return fromEpoch(BigDecimal.valueOf(s), 0, field, Long.toString(s));
    }

    /**
     * The instant in {@code text}, a number of seconds after 1970-01-01T00:00:00Z with an optional decimal fraction
     * ({@code "1732700000"}, {@code "1732700000.5"}); digits beyond nanoseconds are truncated. Surrounding whitespace
     * is ignored.
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the text is null or blank;
     *                                 {@link RejectionReason#INVALID_TIME} when it is not such a number or not
     *                                 plausible
     */
    public static Instant fromEpochSeconds(String text, String field) {
        String value = RejectedValue.requirePresent(text, field);
        return fromEpoch(epochNumber(value, field, "seconds"), 0, field, value);
    }

    /**
     * The instant {@code ms} milliseconds after 1970-01-01T00:00:00Z.
     *
     * @throws RejectedRecordException {@link RejectionReason#INVALID_TIME} when it is not plausible
     */
    public static Instant fromEpochMillis(long ms, String field) {
        return fromEpoch(BigDecimal.valueOf(ms), 1, field, Long.toString(ms));
    }

    /**
     * The instant in {@code text}, a number of milliseconds after 1970-01-01T00:00:00Z ({@code "1732700000000"}),
     * optionally with a decimal fraction ({@code "1732700000000.0"}, as JavaScript devices print); digits beyond
     * nanoseconds are truncated. Surrounding whitespace is ignored.
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the text is null or blank;
     *                                 {@link RejectionReason#INVALID_TIME} when it is not such a number or not
     *                                 plausible
     */
    public static Instant fromEpochMillis(String text, String field) {
        String value = RejectedValue.requirePresent(text, field);
        return fromEpoch(epochNumber(value, field, "milliseconds"), 1, field, value);
    }

    /**
     * The instant in an RFC 3339 / ISO-8601 date-time with {@code Z} or a UTC offset, e.g.
     * {@code 2026-11-27T10:00:00Z}, {@code 2026-11-27T15:30:00.250+05:30}, converted to UTC. Also accepted: lower-case
     * {@code t}/{@code z}, a space instead of {@code T} (RFC 3339 5.6 note), omitted seconds, up to nine fraction
     * digits, offsets without a colon ({@code +0530}). Surrounding whitespace is ignored.
     *
     * @throws RejectedRecordException {@link RejectionReason#MISSING_FIELD} when the text is null or blank;
     *                                 {@link RejectionReason#INVALID_TIME} when it has no offset (a local time is
     *                                 ambiguous), is not a valid date-time (e.g. 29 February of a common year) or is
     *                                 not plausible
     */
    public static Instant fromIso(String text, String field) {
        String value = RejectedValue.requirePresent(text, field);
        String iso = DATE_SPACE_TIME.matcher(value).matches()
                ? value.substring(0, 10) + 'T' + value.substring(11) : value;
        Matcher basicOffset = BASIC_OFFSET.matcher(iso);
        if (basicOffset.matches()) {
            iso = basicOffset.group(1) + ":" + basicOffset.group(2);
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(field, value, whyNotIso(iso, e));
        }
        return requirePlausible(instant, field, value);
    }

    /**
     * The canonical form of {@code instant}: RFC 3339 in UTC, with milliseconds only when they are non-zero
     * ({@code 2026-11-27T10:00:00Z}, {@code 2026-11-27T10:00:00.123Z}). Sub-millisecond digits are truncated.
     */
    public static String format(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        String seconds = SECONDS_PRECISION.format(millis);
        int nanos = millis.getNano();
        return nanos == 0 ? seconds + "Z" : String.format("%s.%03dZ", seconds, nanos / 1_000_000);
    }

    private static String whyNotIso(String iso, DateTimeParseException e) {
        try {
            LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return "has no UTC offset, so the instant is ambiguous; add Z (UTC) or an offset such as +05:30";
        } catch (DateTimeParseException notLocal) {
            // not a local date-time either
        }
        try {
            LocalDate.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE);
            return "is a date without a time of day and offset; expected e.g. 2026-11-27T10:00:00Z";
        } catch (DateTimeParseException notDate) {
            // not a date either
        }
        String reason = e.getMessage();
        int at = reason == null ? -1 : reason.indexOf("could not be parsed");
        String cause = at < 0 ? "" : ": " + reason.substring(at).replaceFirst("^could not be parsed: ", "");
        return "is not an RFC 3339 timestamp such as 2026-11-27T10:00:00Z" + cause;
    }

    private static BigDecimal epochNumber(String value, String field, String unit) {
        if (!EPOCH_NUMBER.matcher(value).matches()) {
            throw invalid(field, value, "is not a number of epoch " + unit
                    + " (ASCII digits, optionally with a '.' fraction)");
        }
        return new BigDecimal(value);
    }

    /**
     * The instant {@code amount} units after the epoch, where the unit is {@code UNITS_PER_SECOND[unitIndex]}.
     */
    private static Instant fromEpoch(BigDecimal amount, int unitIndex, String field, String value) {
        BigDecimal seconds = amount.divide(BigDecimal.valueOf(UNITS_PER_SECOND[unitIndex]));
        if (!isPlausibleEpochSeconds(seconds)) {
            String when = describeEpochSeconds(seconds);
            String relation = seconds.compareTo(BigDecimal.valueOf(EARLIEST_PLAUSIBLE.getEpochSecond())) < 0
                    ? "before " + format(EARLIEST_PLAUSIBLE) : "after " + format(LATEST_PLAUSIBLE);
            throw invalid(field, value, "epoch " + UNIT_NAMES[unitIndex] + when + " is " + relation
                    + ", outside the plausible range " + plausibleRange() + lookAlike(amount, unitIndex));
        }
        BigDecimal nanos = seconds.setScale(9, RoundingMode.FLOOR).movePointRight(9);
        BigDecimal[] split = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Instant.ofEpochSecond(split[0].longValueExact(), split[1].longValueExact());
    }

    private static boolean isPlausibleEpochSeconds(BigDecimal seconds) {
        return seconds.compareTo(BigDecimal.valueOf(EARLIEST_PLAUSIBLE.getEpochSecond())) >= 0
                && seconds.compareTo(BigDecimal.valueOf(LATEST_PLAUSIBLE.getEpochSecond())) <= 0;
    }

    /** " (1970-01-21T01:18:20Z)" when the value is a representable instant, else "". */
    private static String describeEpochSeconds(BigDecimal seconds) {
        try {
            long whole = seconds.setScale(0, RoundingMode.FLOOR).longValueExact();
            return " (" + Instant.ofEpochSecond(whole) + ")";
        } catch (ArithmeticException | DateTimeException e) {
            return "";
        }
    }

    /** "; it looks like epoch milliseconds" when reading the number in another unit would make it plausible. */
    private static String lookAlike(BigDecimal amount, int unitIndex) {
        for (int other = 0; other < UNITS_PER_SECOND.length; other++) {
            if (other != unitIndex && isPlausibleEpochSeconds(
                    amount.divide(BigDecimal.valueOf(UNITS_PER_SECOND[other])))) {
                return "; the value looks like epoch " + UNIT_NAMES[other] + ", but this field is epoch "
                        + UNIT_NAMES[unitIndex];
            }
        }
        return "";
    }

    private static Instant requirePlausible(Instant instant, String field, String value) {
        if (instant.isBefore(EARLIEST_PLAUSIBLE) || instant.isAfter(LATEST_PLAUSIBLE)) {
            String relation = instant.isBefore(EARLIEST_PLAUSIBLE)
                    ? "before " + format(EARLIEST_PLAUSIBLE) : "after " + format(LATEST_PLAUSIBLE);
            throw invalid(field, value, "is " + relation + ", outside the plausible range " + plausibleRange());
        }
        return instant;
    }

    private static String plausibleRange() {
        return format(EARLIEST_PLAUSIBLE) + " to " + format(LATEST_PLAUSIBLE);
    }

    private static RejectedRecordException invalid(String field, String value, String problem) {
        return RejectedValue.reject(RejectionReason.INVALID_TIME, field, value, problem);
    }
}
