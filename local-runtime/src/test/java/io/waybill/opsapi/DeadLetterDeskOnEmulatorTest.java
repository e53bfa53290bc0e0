package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.local.api.LocalOpsApi;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StreamContents;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters from the real local pipeline to the ops API and back. The pipeline's ingest runs with a record-size
 * limit of {@value #SMALL_LIMIT} bytes, so a valid sample is dead-lettered OVERSIZED; the API's replay re-normalises
 * with today's default limit (the "fix": a limit since raised), so that letter would pass, while the sample with no
 * identity is rejected again (MISSING_FIELD) and bytes that are no JSON stay MALFORMED_JSON. The expected counts come
 * from the three records written here; the re-drives are counted on the raw stream itself (read from TRIM_HORIZON,
 * independently of the desk).
 */
@Timeout(180)
class DeadLetterDeskOnEmulatorTest {
    private static final int SMALL_LIMIT = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A writer: the write scope and, as the local stack's writer tokens, the group ops-writers (flattened). */
    private static final Map<String, String> OPERATOR = Map.of("sub", "9d2c-sub", "username", "dana",
            "scope", "waybill/ops.read waybill/ops.write", "cognito:groups", "[ops-writers]");

    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;
    private static OpsApiHandler handler;

    private static final byte[] VALID = SampleCatalog.valid().get(0).compactRaw();
    private static final byte[] NO_IDENTITY = SampleCatalog.bytes("malformed/missing-identity.json");
    private static final byte[] NOT_JSON = "{\"half".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("dld" + Long.toHexString(System.nanoTime())))
                .shards(1).normalizer(NormalizerConfig.builder().maxRecordBytes(SMALL_LIMIT).build())
                .coldChain(ColdChainConfig.builder().build(), null).deploy();
        handler = LocalOpsApi.handler(pipeline);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode call(String method, String path, String query, String body, int expectedStatus) {
        return ContractCheckedCalls.call(handler, method, path, query, OPERATOR, body).expect(expectedStatus);
    }

    /** Every record on the raw stream, from the start. */
    private static List<Record> rawRecords() {
        return StreamContents.all(stack.clients().kinesis(), pipeline.names().stream());
    }

    private static long copiesOnStream(byte[] payload) {
        return rawRecords().stream().filter(r -> Arrays.equals(r.data().asByteArray(), payload)).count();
    }

    private static List<Map<String, AttributeValue>> deskItems() {
        return stack.clients().dynamoDb().scan(b -> b.tableName(pipeline.names().deadLetterTable())
                .consistentRead(true)).items();
    }

    /** id -> reason of the desk's PENDING letters whose payload is {@code payload}. */
    private static Map<String, String> pendingWith(byte[] payload) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, AttributeValue> i : deskItems()) {
            if (i.containsKey("payload") && Arrays.equals(i.get("payload").b().asByteArray(), payload)
                    && "PENDING".equals(i.get("status").s())) {
                out.put(i.get("id").s(), i.get("reason").s());
            }
        }
        return out;
    }

    private static Map<String, String> outcomes(JsonNode result) {
        Map<String, String> m = new LinkedHashMap<>();
        result.get("items").forEach(i -> m.put(i.get("id").asText(), i.get("outcome").asText()));
        return m;
    }

    private static void awaitIdle() {
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).as("pipeline idle").isTrue();
    }

    @Test
    void aDeadLetterIsListedReadDryRunReplayedOnceAndNotTwice() throws Exception {
        assertThat(VALID.length).as("the valid sample is over the pipeline's limit").isGreaterThan(SMALL_LIMIT);
        pipeline.publish(List.of(VALID, NO_IDENTITY, NOT_JSON), List.of("key-valid", "key-noid", "key-notjson"));
        awaitIdle();

        // Written: 3 records, all rejected. The two over 40 bytes as OVERSIZED, the 8-byte non-JSON as MALFORMED_JSON.
        assertThat(pipeline.deadLetterCount()).as("all three in the queue too").isEqualTo(3);
        Map<String, Integer> byReason = new TreeMap<>();
        deskItems().forEach(i -> byReason.merge(i.get("reason").s(), 1, Integer::sum));
        assertThat(byReason).isEqualTo(Map.of("OVERSIZED", 2, "MALFORMED_JSON", 1));

        JsonNode oversized = call("GET", "/dead-letters", "reason=OVERSIZED", null, 200);
        assertThat(oversized.get("items")).hasSize(2);
        String validId = pendingWith(VALID).keySet().iterator().next();
        String noIdentityId = pendingWith(NO_IDENTITY).keySet().iterator().next();
        String notJsonId = pendingWith(NOT_JSON).keySet().iterator().next();
        JsonNode one = call("GET", "/dead-letters/" + validId, null, null, 200);
        assertThat(one.get("payload").get("text").asText()).isEqualTo(new String(VALID, StandardCharsets.UTF_8));
        assertThat(one.get("origin").get("partitionKey").asText()).isEqualTo("key-valid");
        assertThat(one.get("status").asText()).isEqualTo("PENDING");

        // Dry run (no dryRun field): 1 would replay, 2 rejected again; nothing is put, nothing is marked.
        JsonNode dry = call("POST", "/dead-letters/replay", null,
                "{\"ids\":[\"" + validId + "\",\"" + noIdentityId + "\",\"" + notJsonId + "\"]}", 200);
        assertThat(outcomes(dry)).containsExactly(Map.entry(validId, "WOULD_REPLAY"),
                Map.entry(noIdentityId, "REJECTED_AGAIN"), Map.entry(notJsonId, "REJECTED_AGAIN"));
        assertThat(dry.get("items").get(1).get("reason").asText()).isEqualTo("MISSING_FIELD");
        assertThat(dry.get("items").get(2).get("reason").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(dry.get("counts").get("WOULD_REPLAY").asInt()).isEqualTo(1);
        assertThat(dry.get("counts").get("REJECTED_AGAIN").asInt()).isEqualTo(2);
        assertThat(copiesOnStream(VALID)).isEqualTo(1);
        assertThat(deskItems()).extracting(i -> i.get("status").s()).containsOnly("PENDING");

        // A real replay: put once on the raw stream with its partition key, marked with the caller.
        JsonNode real = call("POST", "/dead-letters/" + validId + "/replay", null, "{\"dryRun\":false}", 200);
        assertThat(outcomes(real)).containsExactly(Map.entry(validId, "REPLAYED"));
        List<Record> copies = rawRecords().stream().filter(r -> Arrays.equals(r.data().asByteArray(), VALID)).toList();
        assertThat(copies).extracting(Record::partitionKey).containsExactly("key-valid", "key-valid");
        JsonNode marked = call("GET", "/dead-letters/" + validId, null, null, 200);
        assertThat(marked.get("status").asText()).isEqualTo("REPLAYED");
        assertThat(marked.get("replayedBy").asText()).isEqualTo("dana");

        JsonNode again = call("POST", "/dead-letters/" + validId + "/replay", null, "{\"dryRun\":false}", 200);
        assertThat(outcomes(again)).containsExactly(Map.entry(validId, "ALREADY_REPLAYED"));
        assertThat(copiesOnStream(VALID)).isEqualTo(2);

        // The pipeline's ingest still has the small limit: the re-driven record is dead-lettered again, at its new
        // stream position, so it is a new PENDING letter (a different id).
        awaitIdle();
        Map<String, String> redelivered = pendingWith(VALID);
        assertThat(redelivered).hasSize(1).doesNotContainKey(validId).containsValue("OVERSIZED");
        String secondId = redelivered.keySet().iterator().next();

        // Two concurrent real replays of that letter: one re-drives it, the other finds it claimed or replayed.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<String> seen = new ArrayList<>();
        try {
            List<Future<JsonNode>> replies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return call("POST", "/dead-letters/" + secondId + "/replay", null, "{\"dryRun\":false}", 200);
                }));
            }
            go.countDown();
            for (Future<JsonNode> f : replies) {
                seen.add(outcomes(f.get()).get(secondId));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).containsExactlyInAnyOrder("REPLAYED", "ALREADY_REPLAYED");
        // 1 original + 1 first replay + 1 concurrent replay's winner
        assertThat(copiesOnStream(VALID)).isEqualTo(3);
    }
}
