package io.waybill.local.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.esm.EventSourceMappingStats;
import io.waybill.local.esm.RecordingHandler;
import io.waybill.local.esm.StreamMappingTestBase;
import io.waybill.local.stack.LocalAwsStack;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * {@link KclEventSourceMapping} against real kinesis-mock and dynalite processes started by {@link LocalAwsStack}:
 * KCL 3 leases and polls the shards, the handler sees Lambda's events and Lambda's partial-batch retry rule. Each
 * test uses its own stream and KCL application (lease table); each pays KCL's start-up wait once.
 */
@Timeout(90)
class KclEventSourceMappingTest extends StreamMappingTestBase {

    /**
     * KCL's start-up (measured 3.9-4.8 s; up to ~35 s should the mapping's eager lease sync fail and KCL's own
     * random start-up wait apply) plus processing.
     */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private static EventSourceMappingConfig.Builder fastConfig() {
        return fastConfig(Duration.ofMillis(200));
    }

    @Test
    void kclConsumerDeliversEveryRecordInShardOrderToTheHandler() throws Exception {
        String stream = newStream(2);
        RecordingHandler handler = new RecordingHandler((invocation, n) -> null);
        long t0 = System.nanoTime();
        try (KclEventSourceMapping esm = KclEventSourceMapping.start(stack.endpoints(), stream, "kcl-order-" + stream,
                fastConfig().batchSize(50).functionName("kcl-order").build(), handler)) {
            // 200 records, alternating between the two shards, put while KCL is still starting.
            List<String> payloads = IntStream.range(0, 200).mapToObj(i -> "r-" + i).toList();
            List<PutRecordsResultEntry> results = new ArrayList<>();
            for (int from = 0; from < payloads.size(); from += 50) {
                results.addAll(put(stream, payloads.subList(from, from + 50)));
            }
            Map<String, List<String>> putOrderByShard = new LinkedHashMap<>();
            for (int i = 0; i < payloads.size(); i++) {
                putOrderByShard.computeIfAbsent(results.get(i).shardId(), k -> new ArrayList<>()).add(payloads.get(i));
            }
            assertThat(putOrderByShard).containsOnlyKeys("shardId-000000000000", "shardId-000000000001");

            assertThat(handler.awaitDeliveries(200, DELIVERY_TIMEOUT)).as("all records delivered").isTrue();
            System.out.printf("KCL: first records %s after start, all 200 delivered after %d ms%n",
                    esm.timeToFirstRecords().orElseThrow(), (System.nanoTime() - t0) / 1_000_000);
            assertThat(esm.awaitIdle(Duration.ofSeconds(10))).isTrue();

            List<RecordingHandler.Invocation> invocations = handler.invocations();
            for (RecordingHandler.Invocation invocation : invocations) {
                assertThat(invocation.records()).hasSizeLessThanOrEqualTo(50)
                        .extracting(r -> r.getEventID().split(":")[0]).containsOnly(invocation.shardId());
            }
            for (Map.Entry<String, List<String>> shard : putOrderByShard.entrySet()) {
                assertThat(invocations.stream().filter(i -> i.shardId().equals(shard.getKey()))
                        .flatMap(i -> i.payloads().stream()).toList())
                        .as("records of %s in shard order, each once", shard.getKey())
                        .containsExactlyElementsOf(shard.getValue());
            }

            KinesisEvent.KinesisEventRecord record = invocations.get(0).records().get(0);
            assertThat(record.getEventSource()).isEqualTo("aws:kinesis");
            assertThat(record.getEventName()).isEqualTo("aws:kinesis:record");
            assertThat(record.getEventSourceARN()).isEqualTo(esm.streamArn())
                    .isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/" + stream);
            assertThat(record.getEventID()).isEqualTo(invocations.get(0).shardId() + ":"
                    + record.getKinesis().getSequenceNumber());
            assertThat(record.getInvokeIdentityArn()).isEqualTo("arn:aws:iam::000000000000:role/kcl-order-role");
            assertThat(invocations.get(0).context().getFunctionName()).isEqualTo("kcl-order");

            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.recordsDelivered()).isEqualTo(200);
            assertThat(stats.retries()).isZero();
            assertThat(stats.millisBehindLatest()).containsOnlyKeys(putOrderByShard.keySet());
            assertThat(esm.leasedShardIds()).containsExactlyElementsOf(putOrderByShard.keySet());
        }
    }

    @Test
    void kclConsumerRedeliversFromTheLowestFailedSequenceNumber() throws Exception {
        String stream = newStream(1);
        List<String> payloads = IntStream.range(0, 10).mapToObj(i -> "r-" + i).toList();
        List<PutRecordsResultEntry> put = put(stream, payloads);
        String failing = put.get(5).sequenceNumber();
        // Fails record #5 on its first delivery only.
        RecordingHandler handler = new RecordingHandler((invocation, n) -> n == 0
                ? StreamsEventResponse.builder().withBatchItemFailures(List.of(
                        StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(failing).build())).build()
                : null);
        String application = "kcl-retry-" + stream;
        try (KclEventSourceMapping esm = KclEventSourceMapping.start(stack.endpoints(), stream, application,
                fastConfig().build(), handler)) {
            assertThat(handler.awaitDeliveries(15, DELIVERY_TIMEOUT)).isTrue();
            assertThat(esm.awaitIdle(Duration.ofSeconds(10))).isTrue();

            List<RecordingHandler.Invocation> invocations = handler.invocations();
            assertThat(invocations).extracting(RecordingHandler.Invocation::payloads).containsExactly(
                    payloads, payloads.subList(5, 10));
            Map<String, Integer> counts = handler.deliveryCounts();
            payloads.subList(0, 5).forEach(p -> assertThat(counts).containsEntry(p, 1));
            payloads.subList(5, 10).forEach(p -> assertThat(counts).containsEntry(p, 2));

            EventSourceMappingStats stats = esm.stats();
            assertThat(stats.invocations()).isEqualTo(2);
            assertThat(stats.partialBatchFailures()).isEqualTo(1);
            assertThat(stats.retries()).isEqualTo(1);
            assertThat(stats.batchesDiscarded()).isZero();

            // The finished batch was checkpointed in KCL's lease table at its last sequence number.
            Map<String, AttributeValue> lease = stack.clients().dynamoDb().getItem(b -> b.tableName(application)
                    .key(Map.of(KclEventSourceMapping.LEASE_KEY, AttributeValue.fromS("shardId-000000000000")))
                    .consistentRead(true)).item();
            assertThat(lease.get("checkpoint").s()).isEqualTo(put.get(9).sequenceNumber());
            assertThat(lease.get(KclEventSourceMapping.LEASE_OWNER).s()).isEqualTo(esm.workerIdentifier());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String newStream(int shards) {
        String name = "kcl-" + UUID.randomUUID().toString().substring(0, 8);
        resources.createStream(name, shards);
        return name;
    }

    /** Puts the payloads in one PutRecords call, alternating between the first and the last shard. */
    private static List<PutRecordsResultEntry> put(String stream, List<String> payloads) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("pk")
                    .explicitHashKey(i % 2 == 0 ? FIRST_SHARD_HASH_KEY : LAST_SHARD_HASH_KEY)
                    .data(SdkBytes.fromUtf8String(payloads.get(i))).build());
        }
        return putRecords(stream, entries);
    }
}
