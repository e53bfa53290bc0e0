package io.waybill.local.esm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import io.waybill.local.stack.StackResources;

/**
 * Lambda's Kinesis event source mapping semantics, checked against real kinesis-mock and ElasticMQ processes started
 * by {@code LocalAwsStack} ({@link StreamMappingTestBase}). Each test uses its own stream.
 */
@Timeout(60)
class KinesisEventSourceMappingTest extends StreamMappingTestBase {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static SqsClient sqs;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void sqsClient() {
        sqs = stack.clients().sqs();
    }

    /** Quick retries so that exhausting them takes milliseconds. */
    private static EventSourceMappingConfig.Builder fastConfig() {
        return fastConfig(Duration.ofMillis(50));
    }

    @Test
    void recordsOfAShardArriveInOrderInBatchesOfConfiguredSize() throws Exception {
        String stream = newStream(2);
        List<PutRecordsResultEntry> first = put(stream, FIRST_SHARD_HASH_KEY, payloads("a", 25));
        List<PutRecordsResultEntry> last = put(stream, LAST_SHARD_HASH_KEY, payloads("b", 25));
        assertThat(first).extracting(PutRecordsResultEntry::shardId).containsOnly("shardId-000000000000");
        assertThat(last).extracting(PutRecordsResultEntry::shardId).containsOnly("shardId-000000000001");

        RecordingHandler handler = RecordingHandler.succeeding();
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().batchSize(10).functionName("order-test").build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            List<RecordingHandler.Invocation> invocations = handler.invocations();
            // Every invocation holds records of one shard only.
            for (RecordingHandler.Invocation invocation : invocations) {
                assertThat(invocation.records()).extracting(r -> r.getEventID().split(":")[0]).hasSize(
                        invocation.records().size()).containsOnly(shardOf(invocation.records().get(0)));
            }
            assertThat(batchSizes(invocations, "shardId-000000000000")).containsExactly(10, 10, 5);
            assertThat(batchSizes(invocations, "shardId-000000000001")).containsExactly(10, 10, 5);
            assertThat(payloadsOf(invocations, "shardId-000000000000")).containsExactlyElementsOf(payloads("a", 25));
            assertThat(payloadsOf(invocations, "shardId-000000000001")).containsExactlyElementsOf(payloads("b", 25));

            // The event is built as Lambda builds it.
            KinesisEvent.KinesisEventRecord record = invocations.stream()
                    .filter(i -> shardOf(i.records().get(0)).equals("shardId-000000000000"))
                    .findFirst().orElseThrow().records().get(0);
            assertThat(record.getEventSource()).isEqualTo("aws:kinesis");
            assertThat(record.getEventVersion()).isEqualTo("1.0");
            assertThat(record.getEventName()).isEqualTo("aws:kinesis:record");
            assertThat(record.getEventID()).isEqualTo("shardId-000000000000:" + first.get(0).sequenceNumber());
            assertThat(record.getEventSourceARN()).isEqualTo(esm.streamArn())
                    .isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/" + stream);
            assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
            assertThat(record.getInvokeIdentityArn()).isEqualTo("arn:aws:iam::000000000000:role/order-test-role");
            assertThat(record.getKinesis().getKinesisSchemaVersion()).isEqualTo("1.0");
            assertThat(record.getKinesis().getPartitionKey()).isEqualTo("pk");
            assertThat(record.getKinesis().getSequenceNumber()).isEqualTo(first.get(0).sequenceNumber());
            assertThat(StandardCharsets.UTF_8.decode(record.getKinesis().getData().duplicate()).toString())
                    .isEqualTo("a-0");
            assertThat(record.getKinesis().getApproximateArrivalTimestamp().toInstant())
                    .isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(record.getKinesis().getEncryptionType()).isEqualTo("NONE");

            // The context is Lambda's.
            RecordingHandler.Invocation firstInvocation = invocations.get(0);
            assertThat(firstInvocation.context().getFunctionName()).isEqualTo("order-test");
            assertThat(firstInvocation.context().getInvokedFunctionArn())
                    .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:order-test");
            assertThat(firstInvocation.context().getAwsRequestId()).isNotEqualTo(
                    invocations.get(1).context().getAwsRequestId());
            assertThat(firstInvocation.context().getRemainingTimeInMillis()).isBetween(1, 30_000);

            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.invocations()).isEqualTo(6);
            assertThat(stats.recordsDelivered()).isEqualTo(50);
            assertThat(stats.retries()).isZero();
            assertThat(stats.millisBehindLatest()).containsOnlyKeys("shardId-000000000000", "shardId-000000000001")
                    .containsValues(0L);
        }
    }

    @Test
    void partialBatchFailureRedeliversFromLowestFailedSequenceOnly() throws Exception {
        String stream = newStream(1);
        List<String> sequences = sequenceNumbers(put(stream, FIRST_SHARD_HASH_KEY, payloads("r", 10)));
        AtomicBoolean failedOnce = new AtomicBoolean();
        // First delivery of record 5: report records 7 and 5 as failed (not in order): Lambda retries from 5.
        RecordingHandler handler = new RecordingHandler((invocation, n) ->
                invocation.payloads().contains("r-5") && failedOnce.compareAndSet(false, true)
                        ? RecordingHandler.failures(sequences.get(7), sequences.get(5))
                        : null);
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().batchSize(10).build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads).containsExactly(
                    payloads("r", 10), payloads("r", 10).subList(5, 10));
            Map<String, Integer> counts = handler.deliveryCounts();
            IntStream.range(0, 5).forEach(i -> assertThat(counts).containsEntry("r-" + i, 1));
            IntStream.range(5, 10).forEach(i -> assertThat(counts).containsEntry("r-" + i, 2));
            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.partialBatchFailures()).isEqualTo(1);
            assertThat(stats.retries()).isEqualTo(1);
            assertThat(stats.batchesDiscarded()).isZero();
        }
    }

    @Test
    void partialFailuresAreIgnoredWhenReportBatchItemFailuresIsOff() throws Exception {
        String stream = newStream(1);
        List<String> sequences = sequenceNumbers(put(stream, FIRST_SHARD_HASH_KEY, payloads("r", 10)));
        AtomicBoolean failedOnce = new AtomicBoolean();
        RecordingHandler handler = new RecordingHandler((invocation, n) ->
                invocation.payloads().contains("r-5") && failedOnce.compareAndSet(false, true)
                        ? RecordingHandler.failures(sequences.get(5))
                        : null);
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().batchSize(10).reportBatchItemFailures(false).build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            // The pitfall: the handler said record 5 failed, yet it is never delivered again.
            assertThat(failedOnce).isTrue();
            assertThat(handler.invocations()).hasSize(1);
            assertThat(handler.deliveryCounts()).hasSize(10).allSatisfy((payload, count) ->
                    assertThat(count).as(payload).isEqualTo(1));
            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.ignoredPartialBatchFailures()).isEqualTo(1);
            assertThat(stats.partialBatchFailures()).isZero();
            assertThat(stats.retries()).isZero();
        }
    }

    @Test
    void exhaustedRetriesSendBatchInfoToOnFailureQueue() throws Exception {
        String stream = newStream(1);
        StackResources.Queue dlq = resources.createQueue("esm-failures-" + suffix());
        List<PutRecordsResultEntry> put = put(stream, FIRST_SHARD_HASH_KEY, payloads("r", 9));
        List<String> sequences = sequenceNumbers(put);
        RecordingHandler handler = new RecordingHandler((invocation, n) -> {
            if (invocation.payloads().contains("r-3")) {
                throw new IllegalStateException("poison record r-3");
            }
            return null;
        });
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().batchSize(3).maximumRetryAttempts(2).onFailureDestinationQueueUrl(dlq.url())
                        .functionName("dlq-test").build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            // [0-2] once; [3-5] initial attempt + 2 retries, then skipped; [6-8] once.
            assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads).containsExactly(
                    List.of("r-0", "r-1", "r-2"), List.of("r-3", "r-4", "r-5"), List.of("r-3", "r-4", "r-5"),
                    List.of("r-3", "r-4", "r-5"), List.of("r-6", "r-7", "r-8"));
            String lastRequestId = handler.invocations().get(3).context().getAwsRequestId();

            List<Message> messages = receive(dlq.url(), 1);
            assertThat(messages).hasSize(1);
            JsonNode record = json.readTree(messages.get(0).body());
            JsonNode info = record.get("KinesisBatchInfo");
            assertThat(info.get("shardId").asText()).isEqualTo("shardId-000000000000");
            assertThat(info.get("startSequenceNumber").asText()).isEqualTo(sequences.get(3));
            assertThat(info.get("endSequenceNumber").asText()).isEqualTo(sequences.get(5));
            assertThat(info.get("batchSize").asInt()).isEqualTo(3);
            assertThat(info.get("streamArn").asText()).isEqualTo(esm.streamArn());
            assertThat(Instant.parse(info.get("approximateArrivalOfFirstRecord").asText()))
                    .isBeforeOrEqualTo(Instant.parse(info.get("approximateArrivalOfLastRecord").asText()));
            assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RetryAttemptsExhausted");
            assertThat(record.get("requestContext").get("approximateInvokeCount").asInt()).isEqualTo(3);
            assertThat(record.get("requestContext").get("requestId").asText()).isEqualTo(lastRequestId);
            assertThat(record.get("requestContext").get("functionArn").asText())
                    .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:dlq-test");
            assertThat(record.get("responseContext").get("functionError").asText()).isEqualTo("Unhandled");
            assertThat(record.get("version").asText()).isEqualTo("1.0");
            assertThat(Instant.parse(record.get("timestamp").asText())).isAfter(Instant.now().minusSeconds(60));

            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.handlerErrors()).isEqualTo(3);
            assertThat(stats.retries()).isEqualTo(2);
            assertThat(stats.batchesSentToOnFailureDestination()).isEqualTo(1);
            assertThat(stats.recordsDiscarded()).isEqualTo(3);
        }
    }

    @Test
    void handlerExceptionRetriesWholeBatch() throws Exception {
        String stream = newStream(1);
        put(stream, FIRST_SHARD_HASH_KEY, payloads("r", 5));
        RecordingHandler handler = new RecordingHandler((invocation, n) -> {
            if (n == 0) {
                throw new RuntimeException("transient failure");
            }
            return null;
        });
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().batchSize(5).build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads)
                    .containsExactly(payloads("r", 5), payloads("r", 5));
            assertThat(handler.invocations().get(0).context().getAwsRequestId())
                    .isNotEqualTo(handler.invocations().get(1).context().getAwsRequestId());
            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.handlerErrors()).isEqualTo(1);
            assertThat(stats.retries()).isEqualTo(1);
            assertThat(stats.batchesDiscarded()).isZero();
        }
    }

    @Test
    void bisectIsolatesThePoisonRecordWithoutConsumingRetries() throws Exception {
        String stream = newStream(1);
        StackResources.Queue dlq = resources.createQueue("esm-bisect-" + suffix());
        List<String> sequences = sequenceNumbers(put(stream, FIRST_SHARD_HASH_KEY, payloads("r", 8)));
        RecordingHandler handler = new RecordingHandler((invocation, n) -> {
            if (invocation.payloads().contains("r-5")) {
                throw new IllegalStateException("poison record r-5");
            }
            return null;
        });
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().batchSize(8).bisectBatchOnFunctionError(true).maximumRetryAttempts(0)
                        .onFailureDestinationQueueUrl(dlq.url()).build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            assertThat(handler.invocations()).extracting(RecordingHandler.Invocation::payloads).containsExactly(
                    payloads("r", 8), payloads("r", 4), List.of("r-4", "r-5", "r-6", "r-7"),
                    List.of("r-4", "r-5"), List.of("r-4"), List.of("r-5"), List.of("r-6", "r-7"));
            JsonNode info = json.readTree(receive(dlq.url(), 1).get(0).body()).get("KinesisBatchInfo");
            assertThat(info.get("startSequenceNumber").asText()).isEqualTo(sequences.get(5));
            assertThat(info.get("endSequenceNumber").asText()).isEqualTo(sequences.get(5));
            assertThat(info.get("batchSize").asInt()).isEqualTo(1);
        }
    }

    @Test
    void recordsOlderThanMaximumRecordAgeAreDiscardedWithoutInvocation() throws Exception {
        String stream = newStream(1);
        StackResources.Queue dlq = resources.createQueue("esm-age-" + suffix());
        List<String> sequences = sequenceNumbers(put(stream, FIRST_SHARD_HASH_KEY, payloads("old", 3)));
        Thread.sleep(1_200);
        RecordingHandler handler = RecordingHandler.succeeding();
        try (KinesisEventSourceMapping esm = KinesisEventSourceMapping.start(kinesis, sqs, stream,
                fastConfig().maximumRecordAge(Duration.ofSeconds(1)).onFailureDestinationQueueUrl(dlq.url())
                        .build(), handler)) {
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();
            put(stream, FIRST_SHARD_HASH_KEY, payloads("new", 2));
            assertThat(esm.awaitIdle(IDLE_TIMEOUT)).isTrue();

            assertThat(handler.deliveredPayloads()).containsExactly("new-0", "new-1");
            JsonNode record = json.readTree(receive(dlq.url(), 1).get(0).body());
            assertThat(record.get("requestContext").get("condition").asText()).isEqualTo("RecordAgeExceeded");
            assertThat(record.get("KinesisBatchInfo").get("startSequenceNumber").asText())
                    .isEqualTo(sequences.get(0));
            assertThat(record.get("KinesisBatchInfo").get("endSequenceNumber").asText()).isEqualTo(sequences.get(2));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String newStream(int shards) {
        String name = "esm-test-" + suffix();
        resources.createStream(name, shards);
        return name;
    }

    private static List<String> payloads(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static List<PutRecordsResultEntry> put(String stream, String explicitHashKey, List<String> payloads) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (String payload : payloads) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("pk").explicitHashKey(explicitHashKey)
                    .data(SdkBytes.fromUtf8String(payload)).build());
        }
        return putRecords(stream, entries);
    }

    private static List<String> sequenceNumbers(List<PutRecordsResultEntry> entries) {
        return entries.stream().map(PutRecordsResultEntry::sequenceNumber).toList();
    }

    private static String shardOf(KinesisEvent.KinesisEventRecord record) {
        return record.getEventID().substring(0, record.getEventID().indexOf(':'));
    }

    private static List<Integer> batchSizes(List<RecordingHandler.Invocation> invocations, String shardId) {
        return invocations.stream().filter(i -> shardOf(i.records().get(0)).equals(shardId))
                .map(i -> i.records().size()).toList();
    }

    private static List<String> payloadsOf(List<RecordingHandler.Invocation> invocations, String shardId) {
        return invocations.stream().filter(i -> shardOf(i.records().get(0)).equals(shardId))
                .flatMap(i -> i.payloads().stream()).toList();
    }

    private static List<Message> receive(String queueUrl, int expected) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (messages.size() < expected && System.nanoTime() < deadline) {
            messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages());
        }
        return messages;
    }
}
