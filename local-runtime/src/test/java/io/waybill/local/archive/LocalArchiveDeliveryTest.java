package io.waybill.local.archive;

import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.replay.ReplayStackTestBase;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local raw archive on kinesis-mock and s3rver: what is put on the raw stream arrives in the bucket as Firehose
 * would write it. Expected contents are the bytes the test put, each followed by a newline; gunzipped here with the
 * JDK, not with the delivery's own code.
 */
@Timeout(120)
class LocalArchiveDeliveryTest extends ReplayStackTestBase {
    /** Firehose's object name after the hour folder: name-version-yyyy-MM-dd-HH-mm-ss-uuid.gz. */
    private static final Pattern KEY = Pattern.compile("raw/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/archive-test-1-"
            + "(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-\\d{2}-\\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.gz");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    private static List<byte[]> samples() {
        return SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] lines(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        records.forEach(r -> {
            out.writeBytes(r);
            out.write('\n');
        });
        return out.toByteArray();
    }

    private static String bucket() {
        String bucket = "archive-" + suffix();
        LocalArchiveDelivery.createBucket(s3, bucket);
        return bucket;
    }

    @Test
    void recordsPutOnTheRawStreamArriveAsOneGzipLineEachUnderTheirHourOfArrival() throws IOException {
        String stream = newStream(1);
        String bucket = bucket();
        List<byte[]> payloads = samples();
        Instant before = Instant.now().truncatedTo(ChronoUnit.HOURS);
        LocalPipeline.publish(kinesis, stream, payloads, payloads.stream().map(p -> "device").toList());
        Instant after = Instant.now();

        // Started after the put: its TRIM_HORIZON iterator reads all 17 in one page, so they make one object.
        try (LocalArchiveDelivery delivery = LocalArchiveDelivery.start(kinesis, s3, stream, bucket,
                new ArchiveDeliveryConfig("archive-test", 1024 * 1024, Duration.ofSeconds(1), Duration.ofMillis(100)))) {
            assertThat(delivery.awaitDelivered(Duration.ofSeconds(30))).isTrue();
            assertThat(delivery.recordsDelivered()).isEqualTo(17);
        }

        Map<String, byte[]> objects = objectsIn(bucket, "");
        assertThat(objects).hasSize(1);
        String key = objects.keySet().iterator().next();
        Matcher m = KEY.matcher(key);
        assertThat(m.matches()).as(key).isTrue();
        String folder = m.group(1) + "/" + m.group(2) + "/" + m.group(3) + "/" + m.group(4);
        assertThat(folder).isIn(HOUR.format(before), HOUR.format(after));
        assertThat(m.group(5) + "/" + m.group(6) + "/" + m.group(7) + "/" + m.group(8))
                .as("the name's time is the folder's hour").isEqualTo(folder);
        assertThat(gunzip(objects.get(key))).as("byte-identical, a newline after each record")
                .isEqualTo(lines(payloads));
    }

    /**
     * A 950-byte buffer and a one-minute interval: objects are written as soon as the buffer holds 950 bytes, the
     * rest when the delivery stops. The expected split comes from a greedy reference in this test.
     */
    @Test
    void aFullBufferIsWrittenBeforeTheIntervalAndTheRestAtStop() throws IOException {
        String stream = newStream(1);
        String bucket = bucket();
        List<byte[]> payloads = samples();
        LocalPipeline.publish(kinesis, stream, payloads, payloads.stream().map(p -> "device").toList());

        // Reference: records in order, an object closes with the record that brings it to >= 950 bytes (900 or 1,000
        // would split the 17 samples into whole objects, with no remainder to write at stop).
        List<byte[]> expected = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        long size = 0;
        for (byte[] p : payloads) {
            current.add(p);
            size += p.length + 1;
            if (size >= 950) {
                expected.add(lines(current));
                current = new ArrayList<>();
                size = 0;
            }
        }
        int full = expected.size();
        assertThat(full).as("the samples fill the buffer several times").isGreaterThan(2);
        assertThat(current).as("and leave a remainder").isNotEmpty();
        expected.add(lines(current));

        LocalArchiveDelivery delivery = LocalArchiveDelivery.start(kinesis, s3, stream, bucket,
                new ArchiveDeliveryConfig("archive-test", 950, Duration.ofMinutes(1), Duration.ofMillis(100)));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (delivery.objectsWritten() < full && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(delivery.objectsWritten()).as("full buffers, well before the interval").isEqualTo(full);
            assertThat(delivery.awaitDelivered(Duration.ofMillis(500))).as("the remainder waits").isFalse();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            delivery.close();
        }
        assertThat(delivery.objectsWritten()).isEqualTo(full + 1L);

        Set<String> stored = new HashSet<>();
        for (byte[] o : objectsIn(bucket, "raw/").values()) {
            stored.add(new String(gunzip(o), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(stored).containsExactlyInAnyOrderElementsOf(
                expected.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList());
    }
}
