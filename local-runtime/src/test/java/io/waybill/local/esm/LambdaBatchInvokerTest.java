package io.waybill.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * {@link LambdaBatchInvoker} on its own, with records built in memory (no stream, no emulator): the batch semantics
 * both mappings share. The mappings' tests check the same rules end to end.
 */
@Timeout(30)
class LambdaBatchInvokerTest {

    private static final String STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";
    private static final String SHARD = "shardId-000000000003";

    private static EventSourceMappingConfig.Builder fastConfig() {
        return EventSourceMappingConfig.builder().retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    @Test
    void partialBatchFailureReinvokesFromTheLowestFailedSequenceNumberUntilDone() {
        List<Record> records = records("r", 10, Instant.now());
        RecordingHandler handler = new RecordingHandler((invocation, n) -> n == 0
                ? RecordingHandler.failures(records.get(7).sequenceNumber(), records.get(5).sequenceNumber())
                : null);
        LambdaBatchInvoker invoker = new LambdaBatchInvoker(STREAM_ARN,
                fastConfig().functionName("orders-fn").build(), handler, null);

        BatchResult result = invoker.deliver(SHARD, records);

        assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads)
                .containsExactly(payloads("r", 10), payloads("r", 10).subList(5, 10));
        assertThat(result.complete()).isTrue();
        assertThat(result.stopped()).isFalse();
        assertThat(result.finished()).isEqualTo(10);
        assertThat(result.succeeded()).isEqualTo(10);
        assertThat(result.discarded()).isZero();
        assertThat(result.invocations()).isEqualTo(2);
        assertThat(result.retries()).isEqualTo(1);
        assertThat(result.discards()).isEmpty();

        KinesisEvent.KinesisEventRecord first = handler.invocations().get(0).records().get(0);
        assertThat(first.getEventID()).isEqualTo(SHARD + ":" + records.get(0).sequenceNumber());
        assertThat(first.getEventSourceARN()).isEqualTo(STREAM_ARN);
        assertThat(first.getAwsRegion()).isEqualTo("eu-west-1");
        assertThat(first.getInvokeIdentityArn()).isEqualTo("arn:aws:iam::123456789012:role/orders-fn-role");
        assertThat(first.getKinesis().getEncryptionType()).isEqualTo("NONE");
        assertThat(handler.invocations().get(0).context().getInvokedFunctionArn())
                .isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:orders-fn");

        EventSourceMappingStats stats = invoker.stats(Map.of(SHARD, 0L));
        assertThat(stats.invocations()).isEqualTo(2);
        assertThat(stats.recordsDelivered()).isEqualTo(15);
        assertThat(stats.partialBatchFailures()).isEqualTo(1);
        assertThat(stats.retries()).isEqualTo(1);
        assertThat(stats.millisBehindLatest()).containsEntry(SHARD, 0L);
    }

    @Test
    void exhaustedRetriesDiscardTheFailingBatchAndCarryOnInBatchesOfBatchSize() {
        List<Record> records = records("r", 9, Instant.now());
        RecordingHandler handler = new RecordingHandler((invocation, n) -> {
            if (invocation.payloads().contains("r-3")) {
                throw new IllegalStateException("poison record r-3");
            }
            return null;
        });
        LambdaBatchInvoker invoker = new LambdaBatchInvoker(STREAM_ARN,
                fastConfig().batchSize(3).maximumRetryAttempts(1).build(), handler, null);

        BatchResult result = invoker.deliver(SHARD, records);

        assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads).containsExactly(
                List.of("r-0", "r-1", "r-2"), List.of("r-3", "r-4", "r-5"), List.of("r-3", "r-4", "r-5"),
                List.of("r-6", "r-7", "r-8"));
        assertThat(result.complete()).isTrue();
        assertThat(result.succeeded()).isEqualTo(6);
        assertThat(result.discarded()).isEqualTo(3);
        assertThat(result.retries()).isEqualTo(1);
        assertThat(result.sentToOnFailureDestination()).isZero();
        assertThat(result.discards()).containsExactly(new BatchResult.Discard("RetryAttemptsExhausted",
                records.get(3).sequenceNumber(), records.get(5).sequenceNumber(), 3, 2, false));
        EventSourceMappingStats stats = invoker.stats(Map.of());
        assertThat(stats.handlerErrors()).isEqualTo(2);
        assertThat(stats.batchesDiscarded()).isEqualTo(1);
        assertThat(stats.recordsDiscarded()).isEqualTo(3);
        assertThat(stats.batchesSentToOnFailureDestination()).isZero();
    }

    @Test
    void bisectSplitsTheFailedBatchWithoutConsumingRetries() {
        List<Record> records = records("r", 8, Instant.now());
        RecordingHandler handler = new RecordingHandler((invocation, n) -> {
            if (invocation.payloads().contains("r-5")) {
                throw new IllegalStateException("poison record r-5");
            }
            return null;
        });
        LambdaBatchInvoker invoker = new LambdaBatchInvoker(STREAM_ARN,
                fastConfig().bisectBatchOnFunctionError(true).maximumRetryAttempts(0).build(), handler, null);

        BatchResult result = invoker.deliver(SHARD, records);

        assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads).containsExactly(
                payloads("r", 8), payloads("r", 4), List.of("r-4", "r-5", "r-6", "r-7"),
                List.of("r-4", "r-5"), List.of("r-4"), List.of("r-5"), List.of("r-6", "r-7"));
        assertThat(result.discards()).singleElement().satisfies(d -> {
            assertThat(d.startSequenceNumber()).isEqualTo(records.get(5).sequenceNumber());
            assertThat(d.records()).isEqualTo(1);
        });
        assertThat(result.succeeded()).isEqualTo(7);
    }

    @Test
    void recordsOlderThanMaximumRecordAgeAreDiscardedWithoutInvocation() {
        List<Record> old = records("old", 2, Instant.now().minusSeconds(120));
        List<Record> fresh = records("new", 2, Instant.now()).stream()
                .map(r -> r.toBuilder().sequenceNumber("9" + r.sequenceNumber()).build()).toList();
        RecordingHandler handler = RecordingHandler.succeeding();
        LambdaBatchInvoker invoker = new LambdaBatchInvoker(STREAM_ARN,
                fastConfig().maximumRecordAge(Duration.ofSeconds(60)).build(), handler, null);

        BatchResult result = invoker.deliver(SHARD, concat(old, fresh));

        assertThat(handler.deliveredPayloads()).containsExactly("new-0", "new-1");
        assertThat(result.discards()).extracting(BatchResult.Discard::condition, BatchResult.Discard::records,
                BatchResult.Discard::invokeCount).containsExactly(org.assertj.core.groups.Tuple.tuple(
                "RecordAgeExceeded", 2, 0));
        assertThat(result.finished()).isEqualTo(4);
    }

    @Test
    void stopEndsARetryLoopWithTheUnfinishedRecordsLeftUnfinished() throws Exception {
        List<Record> records = records("r", 4, Instant.now());
        CountDownLatch firstInvocation = new CountDownLatch(1);
        RecordingHandler handler = new RecordingHandler((invocation, n) -> {
            firstInvocation.countDown();
            throw new IllegalStateException("always failing");
        });
        LambdaBatchInvoker invoker = new LambdaBatchInvoker(STREAM_ARN,
                EventSourceMappingConfig.builder().maximumRetryAttempts(EventSourceMappingConfig.INFINITE_RETRIES)
                        .retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10)).build(), handler, null);

        CompletableFuture<BatchResult> delivery = CompletableFuture.supplyAsync(() -> invoker.deliver(SHARD, records));
        assertThat(firstInvocation.await(10, TimeUnit.SECONDS)).isTrue();
        invoker.stop();
        BatchResult result = delivery.get(5, TimeUnit.SECONDS);

        assertThat(result.stopped()).isTrue();
        assertThat(result.complete()).isFalse();
        assertThat(result.finished()).isZero();
        assertThat(handler.invocations()).hasSize(1);
        assertThat(invoker.deliver(SHARD, records).finished()).as("a stopped invoker invokes nothing").isZero();
        assertThat(handler.invocations()).hasSize(1);
    }

    @Test
    void rejectsAnArnThatIsNotAStreamAndADestinationWithoutSqsClient() {
        assertThatThrownBy(() -> new LambdaBatchInvoker("arn:aws:sqs:us-east-1:000000000000:queue",
                EventSourceMappingConfig.defaults(), RecordingHandler.succeeding(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LambdaBatchInvoker(STREAM_ARN, EventSourceMappingConfig.builder()
                .onFailureDestinationQueueUrl("http://localhost/000000000000/dlq").build(),
                RecordingHandler.succeeding(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new LambdaBatchInvoker(STREAM_ARN, EventSourceMappingConfig.defaults(),
                RecordingHandler.succeeding(), null).streamName()).isEqualTo("orders");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static List<String> payloads(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    /** Records as GetRecords returns them, with ascending sequence numbers. */
    private static List<Record> records(String prefix, int count, Instant arrival) {
        return IntStream.range(0, count).mapToObj(i -> Record.builder()
                .sequenceNumber(String.format("4963%016d", i))
                .partitionKey("pk")
                .data(SdkBytes.fromUtf8String(prefix + "-" + i))
                .approximateArrivalTimestamp(arrival)
                .encryptionType(EncryptionType.NONE)
                .build()).toList();
    }

    private static List<Record> concat(List<Record> a, List<Record> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
