package io.waybill.local.kcl;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.waybill.local.esm.BatchResult;
import io.waybill.local.esm.LambdaBatchInvoker;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * KCL's record processor for one shard lease of a {@link KclEventSourceMapping}. KCL calls it from one thread at a
 * time, in order: {@code initialize}, then {@code processRecords} per GetRecords result (empty ones included), then
 * one of {@code leaseLost}, {@code shardEnded} or {@code shutdownRequested}.
 *
 * <p>{@code processRecords} hands the batch to the mapping's {@link LambdaBatchInvoker}, which runs Lambda's whole
 * retry loop over it on this thread (every record invoked successfully or discarded after its retries, on-failure
 * record sent), then checkpoints the batch's last sequence number. A batch the invoker did not finish (the mapping
 * is closing) is not checkpointed: KCL delivers it again from the last checkpoint. The fields read by other threads
 * ({@code awaitIdle}, {@code stats}) are volatile.
 */
final class KclShardProcessor implements ShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(KclShardProcessor.class);
    private static final int CHECKPOINT_ATTEMPTS = 5;
    private static final Duration CHECKPOINT_BACKOFF = Duration.ofMillis(200);

    private final KclEventSourceMapping owner;

    private volatile String shardId = "?";
    private volatile boolean done;
    private volatile boolean busy;
    /** {@code cacheEntryTime} (end of the GetRecords call) of the last batch KCL delivered. */
    private volatile Instant lastFetchEnd;
    /** Lower bound of the start of the last GetRecords that came back empty and caught up (see awaitIdle). */
    private volatile Instant idleFetchStartedAfter;
    private volatile long millisBehindLatest = -1;
    private volatile String lastCheckpoint;

    KclShardProcessor(KclEventSourceMapping owner) {
        this.owner = owner;
    }

    // ------------------------------------------------------------------ KCL callbacks

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        owner.register(this);
        LOG.info("KCL lease taken: application={} stream={} shard={} checkpoint={} after {} ms",
                owner.applicationName(), owner.streamName(), shardId, input.extendedSequenceNumber(),
                owner.millisSinceStart());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        Instant fetchEnd = input.cacheEntryTime() != null ? input.cacheEntryTime() : Instant.now();
        Instant previousFetchEnd = lastFetchEnd;
        millisBehindLatest = input.millisBehindLatest() == null ? 0 : input.millisBehindLatest();
        List<KinesisClientRecord> records = input.records();
        if (records.isEmpty()) {
            lastFetchEnd = fetchEnd;
            if (millisBehindLatest == 0 && previousFetchEnd != null) {
                // KCL's prefetcher starts a GetRecords only after the previous one returned: this empty answer
                // comes from a call that started after previousFetchEnd.
                idleFetchStartedAfter = previousFetchEnd;
            }
            return;
        }
        busy = true;
        try {
            owner.firstRecordsArrived();
            BatchResult result = owner.invoker().deliver(shardId, records.stream().map(KclShardProcessor::toSdkRecord)
                    .toList());
            if (!result.complete()) {
                return; // closing: not checkpointed, KCL re-delivers from the last checkpoint
            }
            checkpoint(input.checkpointer(), records.get(records.size() - 1).sequenceNumber());
            owner.batchDone(records.stream().map(KinesisClientRecord::approximateArrivalTimestamp)
                    .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null));
        } finally {
            lastFetchEnd = fetchEnd;
            busy = false;
        }
    }

    /** The KCL record as the Kinesis API returns it (a copy of the data; KCL's buffer is left untouched). */
    static Record toSdkRecord(KinesisClientRecord r) {
        return Record.builder()
                .sequenceNumber(r.sequenceNumber())
                .partitionKey(r.partitionKey())
                .data(SdkBytes.fromByteBuffer(r.data().duplicate()))
                .approximateArrivalTimestamp(r.approximateArrivalTimestamp())
                .encryptionType(r.encryptionType())
                .build();
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer, String sequenceNumber) {
        for (int attempt = 1; ; attempt++) {
            try {
                checkpointer.checkpoint(sequenceNumber);
                lastCheckpoint = sequenceNumber;
                return;
            } catch (ShutdownException e) {
                LOG.info("cannot checkpoint {} on shard {}: lease lost ({})", sequenceNumber, shardId, e.getMessage());
                return;
            } catch (ThrottlingException | KinesisClientLibDependencyException e) {
                if (attempt >= CHECKPOINT_ATTEMPTS || owner.stopping()) {
                    LOG.error("checkpoint {} on shard {} failed after {} attempts: {}", sequenceNumber, shardId,
                            attempt, e.toString());
                    return;
                }
                sleep(CHECKPOINT_BACKOFF.multipliedBy(attempt));
            } catch (RuntimeException | InvalidStateException e) {
                LOG.error("checkpoint {} on shard {} failed: {}", sequenceNumber, shardId, e.toString());
                return;
            }
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.info("KCL lease lost: stream={} shard={} lastCheckpoint={}", owner.streamName(), shardId, lastCheckpoint);
        finish(false);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        LOG.info("KCL shard ended: stream={} shard={}", owner.streamName(), shardId);
        try {
            input.checkpointer().checkpoint();
        } catch (ShutdownException | InvalidStateException e) {
            LOG.warn("cannot checkpoint end of shard {}: {}", shardId, e.toString());
        }
        finish(true);
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        // Every finished batch is already checkpointed; a batch interrupted by the shutdown must not be (KCL's
        // checkpoint() without argument would checkpoint it whole).
        LOG.info("KCL shutdown requested: stream={} shard={} lastCheckpoint={}", owner.streamName(), shardId,
                lastCheckpoint);
        finish(false);
    }

    /** Retires this lease when KCL never called back (scheduler forced down). */
    void forceFinish() {
        finish(false);
    }

    private synchronized void finish(boolean shardEnded) {
        if (done) {
            return;
        }
        done = true;
        owner.retire(this, shardEnded);
    }

    // ------------------------------------------------------------------ read by other threads

    String shardId() {
        return shardId;
    }

    boolean done() {
        return done;
    }

    long millisBehindLatest() {
        return millisBehindLatest;
    }

    /**
     * @return whether a GetRecords that <em>started</em> after {@code since} came back empty with
     *         {@code MillisBehindLatest == 0}, and no batch is being processed
     */
    boolean idleSince(Instant since) {
        Instant proof = idleFetchStartedAfter;
        return !busy && proof != null && !proof.isBefore(since);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
