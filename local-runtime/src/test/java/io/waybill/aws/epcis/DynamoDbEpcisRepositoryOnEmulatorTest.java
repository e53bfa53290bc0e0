package io.waybill.aws.epcis;

import io.waybill.domain.epcis.EpcisRepository;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.opsapi.EpcisCaptureAndQueryScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.epcis.CapturedEvent;
import io.waybill.domain.epcis.EpcisQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EPCIS capture and query scenario ({@link EpcisCaptureAndQueryScenario}: GS1's examples captured and queried
 * back by each filter with hand-worked answers, pages walked exactly once, tampered tokens refused, 409 on
 * re-capture, corrections, the stream's refusal undone, and two concurrent captures of one event giving exactly one
 * 201) on {@link DynamoDbEpcisRepository} against the local DynamoDB emulator (dynalite), one fresh table per test
 * with the fixed contract of {@link EpcisTables#definition}.
 */
@Timeout(120)
class DynamoDbEpcisRepositoryOnEmulatorTest extends EpcisCaptureAndQueryScenario {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static LocalAwsStack stack;
    /** Every DynamoDB action the adapter sent, over all the scenarios. */
    private static final Set<String> SENT = ConcurrentHashMap.newKeySet();
    private static DynamoDbClient recording;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        var endpoints = stack.clients().endpoints();
        recording = DynamoDbClient.builder().endpointOverride(endpoints.dynamodb()).region(endpoints.region())
                .credentialsProvider(endpoints.credentialsProvider())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        SENT.add("dynamodb:" + context.request().getClass().getSimpleName()
                                .replaceFirst("Request$", ""));
                    }
                })).build();
    }

    /**
     * What the CDK app grants the ops API on this table ({@link EpcisTableAccess#OPS_API}) is exactly what the adapter
     * sent over every scenario (captures, queries, corrections, a stream refusal undone, concurrent adds): an action
     * it starts sending without a grant fails here, not with AccessDenied in a deployed stage.
     */
    @AfterAll
    static void stop() {
        if (recording != null) {
            recording.close();
        }
        assertThat(SENT).containsExactlyInAnyOrderElementsOf(EpcisTableAccess.OPS_API);
        if (stack != null) {
            stack.close();
        }
    }

    @Override
    protected EpcisRepository repository() {
        String table = "epcis-" + TABLES.incrementAndGet();
        StackResources.using(stack.clients()).createTable(EpcisTables.definition(table));
        return new DynamoDbEpcisRepository(recording, table);
    }

    @Test
    void ofEightConcurrentAddsOfOneKeyExactlyOneWins() throws Exception {
        EpcisRepository repository = repository();
        JsonNode event = JSON.readTree(single("Example_9.6.3-AggregationEvent.jsonld", 0));
        CyclicBarrier start = new CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> adds = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String partner = "p" + i;
                adds.add(pool.submit(() -> {
                    start.await();
                    return repository.add(new CapturedEvent(C, event, partner, Instant.parse("2026-12-07T08:00:00Z")));
                }));
            }
            int won = 0;
            for (Future<Boolean> f : adds) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(repository.events(EpcisQuery.all(), null, 10).events()).hasSize(1);
    }

    @Test
    void theIndexEntriesOfALosingCaptureAreNeverAnswered() throws Exception {
        EpcisRepository repository = repository();
        JsonNode winner = JSON.readTree(single("Example_9.6.1-ObjectEvent.jsonld", 0));
        ObjectNode loser = (ObjectNode) JSON.readTree(single("SensorDataExample1.jsonld", 0));
        loser.put("eventID", A); // the same id, other content: its index entries are written, its event is not
        Instant t = Instant.parse("2026-12-07T08:00:00Z");
        assertThat(repository.add(new CapturedEvent(A, winner, PARTNER, t))).isTrue();
        assertThat(repository.add(new CapturedEvent(A, loser, "other", t))).isFalse();
        assertThat(repository.events(EpcisQuery.all(), null, 10).events()).extracting(CapturedEvent::key)
                .containsExactly(A);
        assertThat(repository.events(new EpcisQuery(Set.of(), null, null,
                Set.of("urn:epc:id:sgtin:4012345.011111.9876"), Set.of(), Set.of(), Set.of()), null, 10).events())
                .as("the loser's EPC").isEmpty();
        assertThat(repository.events(new EpcisQuery(Set.of(), null, null, Set.of(), Set.of(), Set.of("inspecting"),
                Set.of()), null, 10).events()).as("the loser's bizStep").isEmpty();
        assertThat(repository.event(A).orElseThrow().capturedBy()).isEqualTo(PARTNER);
    }
}
