package io.waybill.aws.archive;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how the raw archive keeps the telemetry stream's records in S3: what Amazon Data Firehose writes with the
 * delivery {@code infra-cdk}'s {@code RawArchiveDelivery} configures, what the local stack's archive delivery writes
 * the same way, and what {@code ./waybill backfill} reads.
 *
 * <ul>
 *   <li>Objects under {@value #PREFIX}, one folder per hour of arrival in UTC ({@value #HOUR_FOLDER}): Firehose
 *       evaluates {@code !{timestamp:...}} with "the approximate arrival timestamp of the oldest record that's
 *       contained in the Amazon S3 object being written" (Firehose developer guide, custom prefixes). A record that
 *       arrived in the last minutes of an hour can therefore sit in that hour's folder while later records of the same
 *       object arrived in the next hour.</li>
 *   <li>Object names as Firehose makes them: {@code <stream name>-<stream version>-yyyy-MM-dd-HH-mm-ss-<uuid>.gz}
 *       (Firehose developer guide, "Configure Amazon S3 object name format"; the version starts at 1 and grows with
 *       every configuration change).</li>
 *   <li>Content: GZIP of every record's data followed by {@value #DELIMITER_TEXT} ({@code AppendDelimiterToRecord}).
 *       A record whose data contains a newline is split by a reader: the IoT rule's and partners' compact JSON never
 *       does.</li>
 * </ul>
 *
 * <p>Pure string and time code, no AWS types: {@code infra-cdk} keeps its own copy of {@link #FIREHOSE_PREFIX} (its
 * synth classpath carries no function jar) and a test there checks they agree.
 */
public final class RawArchiveLayout {
    /** Key prefix of every archived record. */
    public static final String PREFIX = "raw/";
    /** The hour folder below {@link #PREFIX}, as a {@link DateTimeFormatter} pattern (Firehose's syntax too). */
    public static final String HOUR_FOLDER = "yyyy/MM/dd/HH";
    /** The prefix as configured on the Firehose delivery: {@value}. */
    public static final String FIREHOSE_PREFIX = PREFIX + "!{timestamp:" + HOUR_FOLDER + "}/";
    /** The delimiter after each record. */
    public static final byte DELIMITER = '\n';
    /** {@link #DELIMITER} as written in documentation. */
    public static final String DELIMITER_TEXT = "\\n";
    /** The file extension Firehose gives GZIP objects. */
    public static final String GZIP_EXTENSION = ".gz";
    /** Firehose's version of a delivery stream that was never reconfigured. */
    public static final int FIRST_STREAM_VERSION = 1;

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern(HOUR_FOLDER).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SUFFIX_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final Pattern HOUR_OF_KEY = Pattern.compile("^" + Pattern.quote(PREFIX)
            + "(\\d{4}/\\d{2}/\\d{2}/\\d{2})/[^/]+$");

    private RawArchiveLayout() {
    }

    /** The folder of the hour {@code arrival} falls in, e.g. {@code raw/2026/12/01/10/}. */
    public static String hourPrefix(Instant arrival) {
        return PREFIX + HOUR.format(Objects.requireNonNull(arrival, "arrival")) + "/";
    }

    /**
     * The key Firehose would give an object whose oldest record arrived at {@code oldestArrival}.
     *
     * @param deliveryStream the delivery stream's name, e.g. {@code waybill-prod-raw-archive}
     * @param version        its version ({@link #FIRST_STREAM_VERSION} until it is reconfigured)
     * @param random         the object's random part
     */
    public static String objectKey(String deliveryStream, int version, Instant oldestArrival, UUID random) {
        Objects.requireNonNull(deliveryStream, "deliveryStream");
        Objects.requireNonNull(random, "random");
        if (version < FIRST_STREAM_VERSION) {
            throw new IllegalArgumentException("a delivery stream version starts at 1: " + version);
        }
        return hourPrefix(oldestArrival) + deliveryStream + "-" + version + "-" + SUFFIX_TIME.format(oldestArrival)
                + "-" + random + GZIP_EXTENSION;
    }

    /**
     * The hour an archived object's key files it under.
     *
     * @return empty for a key that is no object directly in an hour folder under {@link #PREFIX}
     */
    public static Optional<Instant> hourOf(String key) {
        Matcher m = HOUR_OF_KEY.matcher(Objects.requireNonNull(key, "key"));
        if (!m.matches()) {
            return Optional.empty();
        }
        String[] p = m.group(1).split("/");
        try {
            return Optional.of(Instant.parse(p[0] + "-" + p[1] + "-" + p[2] + "T" + p[3] + ":00:00Z"));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code instant} rounded down to its hour (UTC). */
    public static Instant hourStart(Instant instant) {
        return instant.truncatedTo(ChronoUnit.HOURS);
    }
}
