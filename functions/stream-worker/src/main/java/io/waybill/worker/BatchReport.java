package io.waybill.worker;

import java.util.Optional;

/**
 * What {@link LambdaBatchProcessor#process} did with one KCL batch.
 *
 * @param shardId           shard of the batch
 * @param records           records in the batch
 * @param succeeded         records the handler finished successfully
 * @param sentToOnFailure   records given up after the maximum attempts (their metadata sent to the on-failure
 *                          destination, or logged if none/the send failed)
 * @param invocations       handler invocations
 * @param retries           re-drives (invocations after a failure)
 * @param checkpointedAt    sequence number checkpointed at the end, empty if none was written
 * @param complete          {@code false} if the worker stopped before the batch was done (nothing checkpointed:
 *                          the batch is delivered again from the last checkpoint to the next lease holder)
 */
public record BatchReport(String shardId, int records, int succeeded, int sentToOnFailure, int invocations,
                          int retries, Optional<String> checkpointedAt, boolean complete) {
}
