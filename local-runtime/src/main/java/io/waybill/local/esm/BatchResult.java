package io.waybill.local.esm;

import java.util.List;
import java.util.Objects;

/**
 * What {@link LambdaBatchInvoker#deliver} did with the records of one shard it was given, in shard order: the first
 * {@link #finished()} records are done (their invocation succeeded, or they were discarded after their retries or
 * for their age); the rest, if any, were not finished because the invoker was {@linkplain #stopped() stopped}.
 *
 * @param shardId     shard of the records
 * @param records     records handed to {@code deliver}
 * @param succeeded   records whose invocation succeeded (with {@code reportBatchItemFailures} off this includes
 *                    records the handler listed as failed: Lambda ignores the list then)
 * @param discarded   records given up on, see {@link #discards()}
 * @param invocations handler invocations made, retries included
 * @param retries     invocations that re-delivered records after a failure, as counted in
 *                    {@link EventSourceMappingStats#retries()} (bisect splits included)
 * @param discards    each batch given up on, in order
 * @param stopped     whether the invoker was stopped before every record was finished
 */
public record BatchResult(String shardId, int records, int succeeded, int discarded, int invocations, int retries,
                          List<Discard> discards, boolean stopped) {

    /** Copies the list so the result stays immutable. */
    public BatchResult {
        Objects.requireNonNull(shardId, "shardId");
        discards = List.copyOf(discards);
    }

    /** @return records done, succeeded or discarded: always a prefix of the records given, in shard order */
    public int finished() {
        return succeeded + discarded;
    }

    /** @return whether every record is done; {@code false} only when the invoker was stopped */
    public boolean complete() {
        return finished() == records;
    }

    /** @return records sent to the on-failure destination (in a batch whose on-failure record was sent) */
    public int sentToOnFailureDestination() {
        return discards.stream().filter(Discard::sentToOnFailureDestination).mapToInt(Discard::records).sum();
    }

    /**
     * One batch skipped, as Lambda skips it: its on-failure record (metadata only) went to the SQS destination if
     * one is configured and the send succeeded.
     *
     * @param condition                  {@code RetryAttemptsExhausted} or {@code RecordAgeExceeded}
     * @param startSequenceNumber        first record of the batch
     * @param endSequenceNumber          last record of the batch
     * @param records                    records in the batch
     * @param invokeCount                invocations that included the batch's first record
     * @param sentToOnFailureDestination whether the on-failure record was sent
     */
    public record Discard(String condition, String startSequenceNumber, String endSequenceNumber, int records,
                          int invokeCount, boolean sentToOnFailureDestination) {
    }
}
