package io.waybill.local.archive;

import java.time.Duration;
import java.util.Objects;

/**
 * How the local archive delivery buffers, named as Firehose's S3 destination names it.
 *
 * @param deliveryStreamName the name in object keys ({@code <name>-1-yyyy-MM-dd-HH-mm-ss-<uuid>.gz}), as the
 *                           deployed Firehose delivery stream's {@code waybill-<stage>-raw-archive}
 * @param bufferBytes        an object is written once this many bytes (records and their newlines, before
 *                           compression) are buffered; Firehose's {@code SizeInMBs}
 * @param bufferInterval     ... or once the oldest buffered record has waited this long; Firehose's
 *                           {@code IntervalInSeconds}
 * @param pollInterval       the wait between two reads of a shard that had nothing new
 */
public record ArchiveDeliveryConfig(String deliveryStreamName, long bufferBytes, Duration bufferInterval,
                                    Duration pollInterval) {
    /**
     * Local buffer size: 1 MiB, small so that objects appear within a demo. The deployed delivery uses Firehose's
     * default of 5 MiB ({@code infra-cdk} {@code RawArchiveDelivery.BUFFER_MIB}; Firehose accepts 1-128 MiB).
     */
    public static final long DEFAULT_BUFFER_BYTES = 1024 * 1024;
    /**
     * Local buffer interval: 2 s, so a test or a demo sees its records archived at once. The deployed delivery uses
     * 300 s ({@code RawArchiveDelivery.BUFFER_SECONDS}; Firehose accepts 0-900 s).
     */
    public static final Duration DEFAULT_BUFFER_INTERVAL = Duration.ofSeconds(2);
    /** A shard with nothing new is read again after 250 ms (Firehose reads a Kinesis source about once a second). */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    /** The local stack's raw-archive bucket on s3rver (a deployed stage's is named by CloudFormation). */
    public static final String LOCAL_BUCKET = "waybill-local-raw-archive";
    /** The local stack's delivery: {@code waybill-<stage>-raw-archive} with the local stage. */
    public static final String LOCAL_DELIVERY_STREAM = "waybill-local-raw-archive";

    public ArchiveDeliveryConfig {
        Objects.requireNonNull(deliveryStreamName, "deliveryStreamName");
        Objects.requireNonNull(bufferInterval, "bufferInterval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (deliveryStreamName.isBlank() || deliveryStreamName.contains("/")) {
            throw new IllegalArgumentException("deliveryStreamName must be a name without '/': " + deliveryStreamName);
        }
        if (bufferBytes < 1) {
            throw new IllegalArgumentException("bufferBytes must be >= 1: " + bufferBytes);
        }
        if (bufferInterval.isNegative() || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("bufferInterval must be >= 0 and pollInterval > 0");
        }
    }

    /** The local defaults for a delivery stream name. */
    public static ArchiveDeliveryConfig defaults(String deliveryStreamName) {
        return new ArchiveDeliveryConfig(deliveryStreamName, DEFAULT_BUFFER_BYTES, DEFAULT_BUFFER_INTERVAL,
                DEFAULT_POLL_INTERVAL);
    }

    /** The local stack's delivery with the local defaults. */
    public static ArchiveDeliveryConfig local() {
        return defaults(LOCAL_DELIVERY_STREAM);
    }

    public ArchiveDeliveryConfig withBuffer(long bytes, Duration interval) {
        return new ArchiveDeliveryConfig(deliveryStreamName, bytes, interval, pollInterval);
    }
}
