package io.waybill.local.esm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one shard with GetShardIterator/GetRecords, gathers batches ({@code batchSize},
 * {@code maximumBatchingWindow}) and hands each to the mapping's {@link LambdaBatchInvoker}, which drives the handler
 * with Lambda's semantics until the batch is done (see {@link KinesisEventSourceMapping}). All state but the few
 * volatile fields read by {@code awaitIdle} and {@code stats} belongs to the worker's own thread.
 *
 * <p>Records read but not yet checkpointed stay in {@link #buffer}, in shard order. "Checkpointing" n records means
 * dropping them from the head of the buffer, once the invoker {@linkplain BatchResult#finished() finished} them.
 */
final class ShardWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ShardWorker.class);
    private static final Duration ERROR_BACKOFF = Duration.ofMillis(500);

    /** What every worker of a mapping shares. */
    record Settings(KinesisClient kinesis, String streamName, EventSourceMappingConfig config,
                    LambdaBatchInvoker invoker, CountDownLatch stopSignal) {
    }

    private final Settings s;
    private final EventSourceMappingConfig config;
    private final String shardId;

    // Worker-thread state.
    private final List<Record> buffer = new ArrayList<>();
    private String iterator;
    private String lastFetchedSequence;
    private long windowStartNanos;

    // Published to other threads.
    private volatile long millisBehindLatest = -1;
    private volatile long lastIdlePollStartNanos;
    private volatile boolean idlePollSeen;
    private volatile boolean busy;
    private volatile boolean ended;
    private volatile boolean crashed;

    ShardWorker(Settings settings, String shardId) {
        this.s = settings;
        this.config = settings.config();
        this.shardId = shardId;
    }

    String shardId() {
        return shardId;
    }

    long millisBehindLatest() {
        return millisBehindLatest;
    }

    /**
     * @return whether, since {@code sinceNanos}, a GetRecords started and came back empty and caught up with nothing
     *         buffered or in flight (or the shard ended)
     */
    boolean idleSince(long sinceNanos) {
        if (crashed) {
            return false;
        }
        if (ended) {
            return true;
        }
        return !busy && idlePollSeen && lastIdlePollStartNanos - sinceNanos >= 0;
    }

    @Override
    public void run() {
        try {
            iterator = initialIterator();
            while (!stopped()) {
                if (buffer.size() < config.batchSize() && iterator != null && !poll()) {
                    continue;
                }
                if (buffer.isEmpty()) {
                    if (iterator == null) {
                        ended = true;
                        LOG.info("shard ended: stream={} shard={}", s.streamName(), shardId);
                        return;
                    }
                    pause(config.pollInterval());
                    continue;
                }
                long windowLeft = config.maximumBatchingWindow().toNanos() - (System.nanoTime() - windowStartNanos);
                if (buffer.size() < config.batchSize() && iterator != null && windowLeft > 0) {
                    pause(Duration.ofNanos(Math.min(windowLeft, config.pollInterval().toNanos())));
                    continue;
                }
                processNextBatch();
            }
        } catch (StopRequested e) {
            // closing
        } catch (RuntimeException | Error e) {
            crashed = true;
            LOG.error("event source mapping worker crashed: stream={} shard={}", s.streamName(), shardId, e);
        } finally {
            busy = false;
        }
    }

    // ---------------------------------------------------------------- reading

    private String initialIterator() {
        ShardIteratorType type = config.startingPosition() == StartingPosition.LATEST
                ? ShardIteratorType.LATEST : ShardIteratorType.TRIM_HORIZON;
        return getIterator(GetShardIteratorRequest.builder().streamName(s.streamName()).shardId(shardId)
                .shardIteratorType(type).build());
    }

    private String getIterator(GetShardIteratorRequest request) {
        while (true) {
            try {
                return s.kinesis().getShardIterator(request).shardIterator();
            } catch (SdkException e) {
                if (stopped()) {
                    throw new StopRequested();
                }
                LOG.warn("GetShardIterator failed: stream={} shard={} error={}", s.streamName(), shardId,
                        e.toString());
                pause(ERROR_BACKOFF);
            }
        }
    }

    /** One GetRecords call. @return false if it failed (already backed off) */
    private boolean poll() {
        long start = System.nanoTime();
        int limit = config.batchSize() - buffer.size();
        GetRecordsResponse response;
        try {
            String it = iterator;
            response = s.kinesis().getRecords(b -> b.shardIterator(it).limit(limit));
        } catch (ExpiredIteratorException e) {
            iterator = lastFetchedSequence == null ? initialIterator()
                    : getIterator(GetShardIteratorRequest.builder().streamName(s.streamName()).shardId(shardId)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .startingSequenceNumber(lastFetchedSequence).build());
            return false;
        } catch (ProvisionedThroughputExceededException e) {
            pause(config.pollInterval());
            return false;
        } catch (SdkException e) {
            if (stopped()) {
                throw new StopRequested();
            }
            LOG.warn("GetRecords failed: stream={} shard={} error={}", s.streamName(), shardId, e.toString());
            pause(ERROR_BACKOFF);
            return false;
        }
        iterator = response.nextShardIterator();
        long lag = response.millisBehindLatest() == null ? 0 : response.millisBehindLatest();
        millisBehindLatest = lag;
        List<Record> records = response.records();
        if (!records.isEmpty()) {
            if (buffer.isEmpty()) {
                windowStartNanos = System.nanoTime();
            }
            buffer.addAll(records);
            lastFetchedSequence = records.get(records.size() - 1).sequenceNumber();
            busy = true;
        } else if (buffer.isEmpty() && lag == 0) {
            lastIdlePollStartNanos = start;
            idlePollSeen = true;
        }
        return true;
    }

    // ---------------------------------------------------------------- invoking

    /**
     * Hands the next batch to the invoker, which runs Lambda's whole retry loop over it (retries re-deliver the
     * unfinished part of this batch), and checkpoints what it finished.
     */
    private void processNextBatch() {
        int n = Math.min(buffer.size(), config.batchSize());
        BatchResult result = s.invoker().deliver(shardId, List.copyOf(buffer.subList(0, n)));
        checkpoint(result.finished());
        if (result.stopped()) {
            throw new StopRequested();
        }
    }

    /** Drops the first {@code n} buffered records: they are done (processed or discarded). */
    private void checkpoint(int n) {
        buffer.subList(0, n).clear();
        if (buffer.isEmpty()) {
            busy = false;
        }
    }

    // ---------------------------------------------------------------- timing

    private boolean stopped() {
        return s.stopSignal().getCount() == 0;
    }

    /** Sleeps, waking at once when the mapping closes. */
    private void pause(Duration duration) {
        StopRequested.pause(s.stopSignal(), duration);
    }
}
