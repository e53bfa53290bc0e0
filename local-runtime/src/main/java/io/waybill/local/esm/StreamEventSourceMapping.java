package io.waybill.local.esm;

import java.time.Duration;

/**
 * A running local Kinesis event source mapping: records of a stream delivered to a Lambda handler with Lambda's
 * batching, partial-batch-response, retry and on-failure semantics (all applied by a {@link LambdaBatchInvoker}).
 * Two implementations, which differ in how they read the stream:
 * <ul>
 *   <li>{@link KinesisEventSourceMapping}: plain GetShardIterator/GetRecords, one thread per shard, checkpoints in
 *       memory; delivers within its first poll of starting (the default: tests, demo, CLI);</li>
 *   <li>{@code io.waybill.local.kcl.KclEventSourceMapping}: the Kinesis Client Library, with shard leases and
 *       checkpoints in a DynamoDB lease table (long-running consumers; a few seconds of start-up).</li>
 * </ul>
 */
public interface StreamEventSourceMapping extends AutoCloseable {

    /** @return the stream name */
    String streamName();

    /** @return the stream ARN ({@code eventSourceARN} of every record) */
    String streamArn();

    /** @return the configuration */
    EventSourceMappingConfig config();

    /** @return a snapshot of the counters and per-shard iterator lag */
    EventSourceMappingStats stats();

    /**
     * Waits until everything put on the stream before this call has been processed: every shard was read since this
     * call up to its tip ({@code MillisBehindLatest == 0}, nothing returned) with no batch in progress.
     *
     * @param timeout maximum wait
     * @return {@code true} if idle, {@code false} on timeout (e.g. a batch still being retried)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Stops consuming (idempotent); does not close clients the caller passed in. */
    @Override
    void close();
}
