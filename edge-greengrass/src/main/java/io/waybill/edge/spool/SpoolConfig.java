package io.waybill.edge.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link Spool}: where it lives, how large it may grow and when it forces writes to the device.
 * Immutable; build one with {@link #builder(Path)}. Every setting has a documented default constant, in the style of
 * the Kinesis Client Library's {@code PollingConfig}.
 *
 * <h2>How the byte bound is kept</h2>
 * {@link #maxBytes()} bounds the segment files on disk, at every moment, including while dead records are being
 * reclaimed. To keep that promise the spool reserves room for one segment being written, one segment's worth of
 * dead records waiting to be reclaimed and the copies made while reclaiming, so the messages themselves may use
 * {@link #liveByteBudget()}: {@code maxBytes - 4 * segmentBytes} less a few bytes of segment headers (just under
 * 14 MiB with the defaults). Beside the segments the directory holds an 8 KiB state file and an empty lock file.
 */
public final class SpoolConfig {

    /** Default {@link #maxBytes()}: 16 MiB, a few days of one-minute summaries on a small device. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    /**
     * Default {@link #maxMessages()}: 50,000. It bounds the in-memory index (about 60 bytes a message, so about 3 MB of
     * heap at most) and, for tiny messages, their count.
     */
    public static final int DEFAULT_MAX_MESSAGES = 50_000;

    /**
     * Default {@link #segmentBytes()}: 512 KiB. A message may take up to half a segment, so the default allows payloads
     * of up to 256 KiB less 17 bytes, above the 128 KB that AWS IoT Core accepts in one MQTT message.
     */
    public static final int DEFAULT_SEGMENT_BYTES = 512 * 1024;

    /** Default fsync policy for alerts: {@link FsyncPolicy#EVERY_WRITE}; an accepted alert survives a power cut. */
    public static final FsyncPolicy DEFAULT_ALERT_FSYNC = FsyncPolicy.EVERY_WRITE;

    /**
     * Default fsync policy for summaries: batched, at most 1 second. A power cut may lose the summaries of the last
     * second (a process crash loses none); in exchange a stream of summaries costs at most one fsync a second.
     */
    public static final FsyncPolicy DEFAULT_SUMMARY_FSYNC = FsyncPolicy.batched(Duration.ofSeconds(1));

    /** Smallest {@link #segmentBytes()} accepted: 4 KiB. */
    public static final int MIN_SEGMENT_BYTES = 4 * 1024;

    /** Largest {@link #segmentBytes()} accepted: 64 MiB. */
    public static final int MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

    /** {@link #maxBytes()} must be at least this many segments, so that the reserve is at most half of it. */
    public static final int MIN_SEGMENTS = 8;

    /** Bytes at the start of each segment file: magic, version and the segment's id. */
    static final int SEGMENT_HEADER_BYTES = 16;

    /** Bytes of a record that are not payload: length, CRC32C, priority and sequence number. */
    static final int RECORD_OVERHEAD_BYTES = 4 + 4 + 1 + 8;

    private final Path directory;
    private final long maxBytes;
    private final int maxMessages;
    private final int segmentBytes;
    private final FsyncPolicy alertFsync;
    private final FsyncPolicy summaryFsync;

    private SpoolConfig(Builder b) {
        this.directory = Objects.requireNonNull(b.directory, "directory");
        this.maxBytes = b.maxBytes;
        this.maxMessages = b.maxMessages;
        this.segmentBytes = b.segmentBytes;
        this.alertFsync = Objects.requireNonNull(b.alertFsync, "alertFsync");
        this.summaryFsync = Objects.requireNonNull(b.summaryFsync, "summaryFsync");
        if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be between " + MIN_SEGMENT_BYTES + " and "
                    + MAX_SEGMENT_BYTES + " but was " + segmentBytes);
        }
        if (maxBytes < (long) MIN_SEGMENTS * segmentBytes) {
            throw new IllegalArgumentException("maxBytes must be at least " + MIN_SEGMENTS + " segments ("
                    + (long) MIN_SEGMENTS * segmentBytes + " bytes) but was " + maxBytes);
        }
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1 but was " + maxMessages);
        }
    }

    /** A builder with every setting at its default, for a spool in {@code directory}. */
    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(directory)
                .maxBytes(maxBytes)
                .maxMessages(maxMessages)
                .segmentBytes(segmentBytes)
                .alertFsync(alertFsync)
                .summaryFsync(summaryFsync);
    }

    /** The spool's own directory, created if missing; nothing else should write there. No default. */
    public Path directory() {
        return directory;
    }

    /**
     * The most the segment files may take on disk, at any moment.
     *
     * <p>Default value: {@link #DEFAULT_MAX_BYTES}
     */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The most messages the spool holds; one more makes it drop one (see {@link Spool} for which).
     *
     * <p>Default value: {@link #DEFAULT_MAX_MESSAGES}
     */
    public int maxMessages() {
        return maxMessages;
    }

    /**
     * The size at which a segment file is closed and a new one started. Smaller segments give back space sooner after
     * an acknowledgement; larger ones mean fewer files. A record may take at most half a segment.
     *
     * <p>Default value: {@link #DEFAULT_SEGMENT_BYTES}
     */
    public int segmentBytes() {
        return segmentBytes;
    }

    /**
     * When appended alerts are forced to the device.
     *
     * <p>Default value: {@link #DEFAULT_ALERT_FSYNC}
     */
    public FsyncPolicy alertFsync() {
        return alertFsync;
    }

    /**
     * When appended summaries are forced to the device.
     *
     * <p>Default value: {@link #DEFAULT_SUMMARY_FSYNC}
     */
    public FsyncPolicy summaryFsync() {
        return summaryFsync;
    }

    /** The fsync policy for messages of {@code priority}. */
    public FsyncPolicy fsyncPolicy(Priority priority) {
        return priority == Priority.ALERT ? alertFsync : summaryFsync;
    }

    /** The largest record, framing included: half a segment. */
    public int maxRecordBytes() {
        return segmentBytes / 2;
    }

    /** The largest payload one message may have: {@link #maxRecordBytes()} less the record's 17 bytes of framing. */
    public int maxPayloadBytes() {
        return maxRecordBytes() - RECORD_OVERHEAD_BYTES;
    }

    /**
     * The bytes that unacknowledged messages (records, framing included) may take: {@link #maxBytes()} less the
     * reserve described in the class comment. When an append would go over it, the spool drops messages.
     */
    public long liveByteBudget() {
        long segmentsAtMost = 2 * (maxBytes / segmentBytes) + 4;
        return maxBytes - 4L * segmentBytes - SEGMENT_HEADER_BYTES * segmentsAtMost;
    }

    @Override
    public String toString() {
        return "SpoolConfig[directory=" + directory + ", maxBytes=" + maxBytes + ", maxMessages=" + maxMessages
                + ", segmentBytes=" + segmentBytes + ", alertFsync=" + alertFsync + ", summaryFsync=" + summaryFsync
                + "]";
    }

    /** Builds a {@link SpoolConfig}; the settings are checked by {@link #build()}. */
    public static final class Builder {
        private final Path directory;
        private long maxBytes = DEFAULT_MAX_BYTES;
        private int maxMessages = DEFAULT_MAX_MESSAGES;
        private int segmentBytes = DEFAULT_SEGMENT_BYTES;
        private FsyncPolicy alertFsync = DEFAULT_ALERT_FSYNC;
        private FsyncPolicy summaryFsync = DEFAULT_SUMMARY_FSYNC;

        private Builder(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** See {@link SpoolConfig#maxBytes()}. */
        public Builder maxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /** See {@link SpoolConfig#maxMessages()}. */
        public Builder maxMessages(int maxMessages) {
            this.maxMessages = maxMessages;
            return this;
        }

        /** See {@link SpoolConfig#segmentBytes()}. */
        public Builder segmentBytes(int segmentBytes) {
            this.segmentBytes = segmentBytes;
            return this;
        }

        /** See {@link SpoolConfig#alertFsync()}. */
        public Builder alertFsync(FsyncPolicy alertFsync) {
            this.alertFsync = alertFsync;
            return this;
        }

        /** See {@link SpoolConfig#summaryFsync()}. */
        public Builder summaryFsync(FsyncPolicy summaryFsync) {
            this.summaryFsync = summaryFsync;
            return this;
        }

        /** The configuration; throws {@link IllegalArgumentException} when a setting is out of range. */
        public SpoolConfig build() {
            return new SpoolConfig(this);
        }
    }
}
