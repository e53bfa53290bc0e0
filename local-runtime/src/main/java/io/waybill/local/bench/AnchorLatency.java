package io.waybill.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.domain.event.EventType;
import io.waybill.domain.identity.Gs1;
import io.waybill.local.demo.Percentiles;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.AnvilControl;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.samples.SampleCatalog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * P5, latency side: from a custody transfer stored in the event store to its proof in the proofs table, through a
 * local pipeline with anchoring at its DEFAULT settings (batch policy, run settings, pass interval). SwiftLog
 * proof-of-delivery records with a handover (the sample {@code raw/swiftlog/proof-of-delivery.json}, each with its
 * own message id, SSCC and time) are put on the input stream at a steady pace; a poller scans the proofs table every
 * {@link #POLL_EVERY} and notes when each event's proof first appears.
 * <p>
 * anvil mines a block per transaction and nothing else, so an anchor's confirmations (default 2) never arrive on an
 * idle node. When the node produces no blocks of its own (no {@code --block-time}), the benchmark mines one block
 * every {@link #BLOCK_EVERY} ({@code evm_mine}): the local model of a chain with 1 s blocks. When the node does
 * produce blocks, it is left alone.
 */
public final class AnchorLatency {
    /** How often the proofs table is scanned: the resolution of "the proof appeared". */
    public static final Duration POLL_EVERY = Duration.ofMillis(250);
    /** The stand-in block time when the node produces no blocks itself. */
    public static final Duration BLOCK_EVERY = Duration.ofSeconds(1);

    /**
     * @param latenciesMs   stored -> proof seen, per event that got its proof
     * @param sent          records put on the stream
     * @param stored        custody transfers found in the event store
     * @param batches       distinct roots among the proofs
     * @param benchMined    whether the benchmark mined blocks (false: the node produced its own)
     * @param blocksMined   blocks the benchmark mined
     * @param rate          records per second put
     * @param seconds       how long the records were put
     */
    public record Result(List<Long> latenciesMs, int sent, int stored, int batches, boolean benchMined,
                         long blocksMined, double rate, double seconds) {
        public Percentiles percentiles() {
            return Percentiles.of(latenciesMs);
        }
    }

    private final LocalAwsStack stack;

    public AnchorLatency(LocalAwsStack stack) {
        this.stack = stack;
    }

    /**
     * @param events   custody transfers to send
     * @param spread   over how long they are sent
     * @param waitMax  how long to wait for the last proof after the last send
     */
    public Result measure(int events, Duration spread, Duration waitMax) throws InterruptedException {
        AnvilControl anvil = stack.ethereum().control();
        boolean nodeProducesBlocks = producesBlocks(anvil);
        io.waybill.local.stack.BlockTicker miner = nodeProducesBlocks ? null
                : io.waybill.local.stack.BlockTicker.start(stack.ethereum(), BLOCK_EVERY);
        Map<String, Long> proofSeen = new ConcurrentHashMap<>();
        Map<String, String> rootOf = new ConcurrentHashMap<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "waybill-bench-p5-proofs");
            t.setDaemon(true);
            return t;
        });
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("bench-p5")).anchoring(stack.ethereum()).deploy()) {
            DynamoDbClient dynamo = pipeline.clients().dynamoDb();
            String proofsTable = pipeline.names().proofsTable();
            poller.scheduleWithFixedDelay(() -> {
                try {
                    scanProofs(dynamo, proofsTable, proofSeen, rootOf);
                } catch (RuntimeException e) {
                    // the next scan tries again
                }
            }, 0, POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);

            ObjectNode sample = (ObjectNode) SampleCatalog.json("raw/swiftlog/proof-of-delivery.json");
            long start = System.currentTimeMillis();
            for (int i = 0; i < events; i++) {
                sleepUntil(start + spread.toMillis() * i / Math.max(1, events));
                Instant now = Instant.now();
                ObjectNode pod = sample.deepCopy();
                pod.put("wb_received_ms", now.toEpochMilli());
                pod.put("messageId", String.format(Locale.ROOT, "SL-BENCH-P5-%06d", i));
                pod.put("sscc", "(00)" + sscc(i));
                pod.put("eventTimeUtc", now.truncatedTo(ChronoUnit.SECONDS).toString());
                pipeline.publish(List.of(pod.toString().getBytes(StandardCharsets.UTF_8)), List.of("SWIFTLOG"));
            }
            double seconds = (System.currentTimeMillis() - start) / 1000.0;
            pipeline.awaitIdle(Duration.ofMinutes(1));
            Map<String, Long> storedAt = new HashMap<>();
            for (Map<String, AttributeValue> item : pipeline.storedEvents()) {
                AttributeValue type = item.get("type");
                AttributeValue id = item.get("eventId");
                AttributeValue at = item.get("storedAtMs");
                if (type != null && EventType.CUSTODY_TRANSFERRED.type().equals(type.s()) && id != null && at != null) {
                    storedAt.put(id.s(), Long.parseLong(at.n()));
                }
            }
            long until = System.currentTimeMillis() + waitMax.toMillis();
            while (!proofSeen.keySet().containsAll(storedAt.keySet()) && System.currentTimeMillis() < until) {
                Thread.sleep(POLL_EVERY.toMillis());
            }
            List<Long> latencies = new ArrayList<>();
            Set<String> roots = new HashSet<>();
            storedAt.forEach((id, stored) -> {
                Long seen = proofSeen.get(id);
                if (seen != null) {
                    latencies.add(seen - stored);
                    roots.add(rootOf.get(id));
                }
            });
            return new Result(List.copyOf(latencies), events, storedAt.size(), roots.size(), !nodeProducesBlocks,
                    miner == null ? 0 : miner.blocksMined(), events / Math.max(0.001, seconds), seconds);
        } finally {
            poller.shutdownNow();
            if (miner != null) {
                miner.close();
            }
        }
    }

    /** Whether the block number moves on its own over 1.5 s (anvil with {@code --block-time}). */
    private static boolean producesBlocks(AnvilControl anvil) throws InterruptedException {
        long before = anvil.blockNumber();
        Thread.sleep(1500);
        return anvil.blockNumber() > before;
    }

    private static void scanProofs(DynamoDbClient dynamo, String table, Map<String, Long> seen,
                                   Map<String, String> rootOf) {
        long now = System.currentTimeMillis();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table)
                    .projectionExpression("#id, #root")
                    .expressionAttributeNames(Map.of("#id", DynamoDbEventProofs.EVENT_ID,
                            "#root", DynamoDbEventProofs.ROOT));
            if (start != null) {
                request.exclusiveStartKey(start);
            }
            ScanResponse page = dynamo.scan(request.build());
            for (Map<String, AttributeValue> item : page.items()) {
                String id = item.get(DynamoDbEventProofs.EVENT_ID).s();
                seen.putIfAbsent(id, now);
                AttributeValue root = item.get(DynamoDbEventProofs.ROOT);
                rootOf.putIfAbsent(id, root == null ? "?" : root.s());
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** SSCC number i of the benchmark: extension 3, company prefix 0614141, serial 8,000,000 + i, check digit. */
    static String sscc(int i) {
        String body = "3" + "0614141" + String.format(Locale.ROOT, "%09d", 8_000_000 + i);
        return body + Gs1.checkDigit(body);
    }

    private static void sleepUntil(long epochMs) throws InterruptedException {
        long wait = epochMs - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
