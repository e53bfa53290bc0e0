package io.waybill.worker;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * KCL's record processor for one shard lease of a {@link StreamWorker}: hands each non-empty batch to the shared
 * {@link LambdaBatchProcessor}, which re-drives failures in process and checkpoints once the batch is done.
 */
final class WorkerShardProcessor implements ShardRecordProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerShardProcessor.class);
    private static final int CHECKPOINT_ATTEMPTS = 5;
    private static final Duration CHECKPOINT_BACKOFF = Duration.ofMillis(200);

    private final StreamWorker owner;
    private volatile String shardId = "?";

    WorkerShardProcessor(StreamWorker owner) {
        this.owner = owner;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        owner.leaseTaken(shardId);
        LOG.info("lease taken: worker={} shard={} checkpoint={}", owner.workerId(), shardId,
                input.extendedSequenceNumber());
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        List<KinesisClientRecord> records = input.records();
        if (records.isEmpty()) {
            return;
        }
        List<StreamRecord> batch = records.stream().map(WorkerShardProcessor::toStreamRecord).toList();
        BatchReport report = owner.processor().process(shardId, batch, seq -> checkpoint(input.checkpointer(), seq));
        LOG.debug("batch done: {}", report);
    }

    static StreamRecord toStreamRecord(KinesisClientRecord r) {
        byte[] data = new byte[r.data().remaining()];
        r.data().duplicate().get(data);
        return new StreamRecord(r.sequenceNumber(), r.partitionKey(), data, r.approximateArrivalTimestamp(),
                r.encryptionType() == null ? null : r.encryptionType().toString());
    }

    private void checkpoint(RecordProcessorCheckpointer checkpointer, String sequenceNumber) {
        for (int attempt = 1; ; attempt++) {
            try {
                checkpointer.checkpoint(sequenceNumber);
                return;
            } catch (ShutdownException e) {
                throw new BatchCheckpointer.CheckpointFailedException("lease lost on shard " + shardId, e);
            } catch (ThrottlingException | KinesisClientLibDependencyException e) {
                if (attempt >= CHECKPOINT_ATTEMPTS) {
                    throw new BatchCheckpointer.CheckpointFailedException("checkpoint failed " + attempt
                            + " times on shard " + shardId, e);
                }
                try {
                    Thread.sleep(CHECKPOINT_BACKOFF.multipliedBy(attempt).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new BatchCheckpointer.CheckpointFailedException("interrupted", ie);
                }
            } catch (InvalidStateException e) {
                throw new BatchCheckpointer.CheckpointFailedException("invalid state on shard " + shardId, e);
            }
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        LOG.info("lease lost: worker={} shard={}", owner.workerId(), shardId);
        owner.leaseGone(shardId);
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        LOG.info("shard ended: worker={} shard={}", owner.workerId(), shardId);
        try {
            input.checkpointer().checkpoint();
        } catch (ShutdownException | InvalidStateException e) {
            LOG.warn("cannot checkpoint the end of shard {}: {}", shardId, e.toString());
        }
        owner.leaseGone(shardId);
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        // Every finished batch is already checkpointed; an unfinished one must not be (KCL's checkpoint() without
        // argument would mark it done).
        LOG.info("shutdown requested: worker={} shard={}", owner.workerId(), shardId);
        owner.leaseGone(shardId);
    }
}
