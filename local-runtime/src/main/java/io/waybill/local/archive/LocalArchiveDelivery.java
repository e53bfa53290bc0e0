package io.waybill.local.archive;

import io.waybill.aws.archive.RawArchiveLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local stack's raw archive: a second reader of the telemetry stream that does what the deployed Firehose
 * delivery ({@code infra-cdk} {@code RawArchiveDelivery}: Kinesis stream source, S3 destination) does with it. It is a
 * local process, not an emulator of the Firehose API (none exists on npm or Maven): nothing here answers
 * {@code CreateDeliveryStream} or {@code PutRecord}.
 *
 * <ul>
 *   <li>Its own iterator per shard from {@code TRIM_HORIZON}, independent of the ingest mapping (as Firehose reads
 *       its source from the oldest record when it is created).</li>
 *   <li>One buffer for the whole stream, written as one object when it holds
 *       {@link ArchiveDeliveryConfig#bufferBytes()} bytes or its oldest record has waited
 *       {@link ArchiveDeliveryConfig#bufferInterval()}, whichever comes first.</li>
 *   <li>The object: each record's data followed by a newline, GZIP ({@link ArchiveObject}), under the hour of arrival
 *       of its oldest record ({@link RawArchiveLayout#objectKey}).</li>
 *   <li>A failed PutObject is retried (backoff doubling up to {@value #MAX_RETRY_BACKOFF_SECONDS} s) with the same
 *       records and no new reads; the records leave the buffer only once written.</li>
 * </ul>
 * Differences from Firehose are listed in {@code local-runtime/README.md} (checkpoints in memory: a new delivery
 * archives the stream's records again; no resharding; no error prefix, since nothing is transformed).
 */
public final class LocalArchiveDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalArchiveDelivery.class);
    private static final int MAX_RETRY_BACKOFF_SECONDS = 5;
    /** GetRecords' largest page. */
    private static final int GET_RECORDS_LIMIT = 10_000;

    private final KinesisClient kinesis;
    private final S3Client s3;
    private final String stream;
    private final String bucket;
    private final ArchiveDeliveryConfig config;
    private final Clock clock;
    private final List<ShardReader> shards = new ArrayList<>();
    private final Thread worker;
    private final CountDownLatch stop = new CountDownLatch(1);

    // Worker-thread state.
    private final List<Record> buffer = new ArrayList<>();
    private long bufferedBytes;
    private Instant bufferStartedAt;

    // Published to other threads.
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong lastIdlePass = new AtomicLong(-1);
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();

    private static final class ShardReader {
        final String shardId;
        String iterator;
        String lastSequence;
        boolean ended;

        ShardReader(String shardId) {
            this.shardId = shardId;
        }
    }

    private LocalArchiveDelivery(KinesisClient kinesis, S3Client s3, String stream, String bucket,
                                 ArchiveDeliveryConfig config, Clock clock) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            ShardReader r = new ShardReader(shard.shardId());
            r.iterator = iterator(r);
            shards.add(r);
        }
        this.worker = new Thread(this::run, "raw-archive-" + stream);
        worker.setDaemon(true);
    }

    /**
     * Starts reading {@code stream} into {@code bucket} (which must exist).
     *
     * @throws SdkException when the stream cannot be listed or read
     */
    public static LocalArchiveDelivery start(KinesisClient kinesis, S3Client s3, String stream, String bucket,
                                             ArchiveDeliveryConfig config) {
        LocalArchiveDelivery d = new LocalArchiveDelivery(kinesis, s3, stream, bucket, config, Clock.systemUTC());
        d.worker.start();
        LOG.info("raw archive delivery started: stream={} bucket={} deliveryStream={} bufferBytes={} bufferMs={}",
                stream, bucket, config.deliveryStreamName(), config.bufferBytes(), config.bufferInterval().toMillis());
        return d;
    }

    /** Creates {@code bucket} unless this account has it already (CreateBucket is idempotent for its owner). */
    public static void createBucket(S3Client s3, String bucket) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // there already: the archive keeps what it holds
        }
    }

    /**
     * Waits until every record put on the stream before this call is in an object: a whole pass over the shards that
     * began after the call found nothing new, with nothing left in the buffer.
     *
     * @return false when {@code timeout} ran out first (or the thread was interrupted: the interrupt is kept)
     */
    public boolean awaitDelivered(Duration timeout) {
        long after = passes.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lastIdlePass.get() <= after) {
            if (System.nanoTime() > deadline || !worker.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public String bucket() {
        return bucket;
    }

    public ArchiveDeliveryConfig config() {
        return config;
    }

    /** Objects written so far. */
    public long objectsWritten() {
        return objects.get();
    }

    /** Records in the objects written so far. */
    public long recordsDelivered() {
        return records.get();
    }

    /** GetRecords or PutObject calls that failed (and were retried). */
    public long failedCalls() {
        return failedCalls.get();
    }

    /** Stops reading and writes what is buffered (one attempt), as Firehose delivers its buffer. */
    @Override
    public void close() {
        stop.countDown();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(200);
        while (stop.getCount() > 0) {
            long pass = passes.incrementAndGet();
            boolean read = false;
            try {
                read = readEveryShard();
                while (due()) {
                    flush();
                }
                backoff = Duration.ofMillis(200);
            } catch (SdkException e) {
                failedCalls.incrementAndGet();
                LOG.warn("raw archive delivery: {} (retrying in {} ms, {} records kept)", e.toString(),
                        backoff.toMillis(), buffer.size());
                if (await(backoff)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(MAX_RETRY_BACKOFF_SECONDS)) > 0
                        ? Duration.ofSeconds(MAX_RETRY_BACKOFF_SECONDS) : backoff.multipliedBy(2);
                continue;
            } catch (RuntimeException e) {
                LOG.error("raw archive delivery stopped", e);
                return;
            }
            if (!read && buffer.isEmpty()) {
                lastIdlePass.set(pass);
            }
            if (!read && await(buffer.isEmpty() ? config.pollInterval() : min(config.pollInterval(), untilDue()))) {
                break;
            }
        }
        if (!buffer.isEmpty()) {
            try {
                while (!buffer.isEmpty()) {
                    flush();
                }
            } catch (RuntimeException e) {
                LOG.warn("raw archive delivery: {} records buffered at stop were not written: {}", buffer.size(),
                        e.toString());
            }
        }
    }

    /** One GetRecords per open shard (unless the buffer is full); whether any record was read. */
    private boolean readEveryShard() {
        boolean read = false;
        for (ShardReader r : shards) {
            if (r.ended || bufferedBytes >= config.bufferBytes()) {
                continue;
            }
            GetRecordsResponse page;
            try {
                String it = r.iterator;
                page = kinesis.getRecords(b -> b.shardIterator(it).limit(GET_RECORDS_LIMIT));
            } catch (ExpiredIteratorException e) {
                r.iterator = iterator(r);
                read = true; // not idle: read it again at once
                continue;
            }
            for (Record rec : page.records()) {
                if (buffer.isEmpty()) {
                    bufferStartedAt = clock.instant();
                }
                buffer.add(rec);
                bufferedBytes += rec.data().asByteArrayUnsafe().length + 1L;
                r.lastSequence = rec.sequenceNumber();
                read = true;
            }
            r.iterator = page.nextShardIterator();
            if (r.iterator == null) {
                r.ended = true;
            }
        }
        return read;
    }

    private String iterator(ShardReader r) {
        return kinesis.getShardIterator(b -> {
            b.streamName(stream).shardId(r.shardId);
            if (r.lastSequence == null) {
                b.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            } else {
                b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(r.lastSequence);
            }
        }).shardIterator();
    }

    private boolean due() {
        return !buffer.isEmpty() && (bufferedBytes >= config.bufferBytes() || untilDue().isZero());
    }

    private Duration untilDue() {
        if (buffer.isEmpty()) {
            return config.bufferInterval();
        }
        Duration waited = Duration.between(bufferStartedAt, clock.instant());
        Duration left = config.bufferInterval().minus(waited);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Writes one object: the buffer's records up to and including the one that reaches the buffer size (all of them
     * when the interval is due first). They leave the buffer only when S3 accepted the object.
     */
    private void flush() {
        int n = 0;
        long bytes = 0;
        while (n < buffer.size() && bytes < config.bufferBytes()) {
            bytes += buffer.get(n).data().asByteArrayUnsafe().length + 1L;
            n++;
        }
        List<Record> chunk = buffer.subList(0, n);
        Instant oldest = chunk.stream().map(Record::approximateArrivalTimestamp).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(bufferStartedAt);
        String key = RawArchiveLayout.objectKey(config.deliveryStreamName(), RawArchiveLayout.FIRST_STREAM_VERSION,
                oldest, UUID.randomUUID());
        byte[] body = ArchiveObject.encode(chunk.stream().map(r -> r.data().asByteArrayUnsafe()).toList());
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-gzip"), RequestBody.fromBytes(body));
        objects.incrementAndGet();
        records.addAndGet(n);
        LOG.info("raw archive object written: bucket={} key={} records={} bytes={} gzipBytes={}", bucket, key, n,
                bytes, body.length);
        chunk.clear();
        bufferedBytes -= bytes;
        if (buffer.isEmpty()) {
            bufferStartedAt = null;
        }
    }

    private boolean await(Duration d) {
        try {
            return stop.await(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
