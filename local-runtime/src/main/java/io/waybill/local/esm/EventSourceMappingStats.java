package io.waybill.local.esm;

import java.util.Map;

/**
 * Snapshot of a {@link StreamEventSourceMapping}'s counters (kept by its {@link LambdaBatchInvoker}), taken by
 * {@link StreamEventSourceMapping#stats()}.
 *
 * @param invocations                       handler invocations (successful or not)
 * @param recordsDelivered                  records handed to the handler, redeliveries included
 * @param retries                           invocations that re-delivered a record after a failure
 * @param handlerErrors                     invocations that threw (or ran past the function timeout)
 * @param partialBatchFailures              invocations whose response listed {@code batchItemFailures} that were
 *                                          honoured (always 0 with {@code reportBatchItemFailures} off)
 * @param ignoredPartialBatchFailures       responses listing {@code batchItemFailures} while
 *                                          {@code reportBatchItemFailures} is off: counted as successes, as Lambda
 *                                          does; a non-zero value usually means a misconfigured mapping
 * @param batchesSentToOnFailureDestination discarded batches whose on-failure record was sent to the SQS destination
 * @param batchesDiscarded                  batches skipped after exhausted retries or record age, destination or not
 * @param recordsDiscarded                  records in those batches
 * @param millisBehindLatest                per shard id, {@code MillisBehindLatest} of the last GetRecords
 *                                          ({@code -1} before the first call)
 */
public record EventSourceMappingStats(long invocations, long recordsDelivered, long retries, long handlerErrors,
                                      long partialBatchFailures, long ignoredPartialBatchFailures,
                                      long batchesSentToOnFailureDestination, long batchesDiscarded,
                                      long recordsDiscarded, Map<String, Long> millisBehindLatest) {

    /** Copies the map so the snapshot stays immutable. */
    public EventSourceMappingStats {
        millisBehindLatest = Map.copyOf(millisBehindLatest);
    }

    /** @return the largest iterator lag over all shards (ms), {@code -1} if no shard was read yet */
    public long maxMillisBehindLatest() {
        return millisBehindLatest.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }
}
