package io.waybill.local.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.provenance.AnchorBatchPolicy;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.ProofCheck;
import io.waybill.domain.provenance.ProvenanceSelection;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Custody transfers from raw carrier records to proofs on the real anvil and dynalite: SwiftLog proof-of-delivery
 * records with a handover go through ingest, the event store and the canonical stream into the anchoring intake; the
 * scheduled run batches, anchors and writes proofs. Oracles outside the engine ({@link ChainWitness}): each event's
 * hash recomputed here from the event as stored (RFC 8785 without id, SHA-256), the proof folded here as OpenZeppelin's
 * {@code MerkleProof.verify} does and checked by {@code @openzeppelin/merkle-tree} itself where Node is installed, and
 * the chain read by plain JSON-RPC: the registry's {@code Anchored} logs, the receipts, {@code anchoredAt}. The
 * canonical stream's records put on it again twice (a redelivered intake) anchor nothing more. Then one
 * stored event is altered in DynamoDB: its check fails on the event alone, the untouched one still verifies.
 */
@Timeout(180)
class CustodyAnchoredThroughPipelineOnAnvilTest {
    private static final String POD = "raw/swiftlog/proof-of-delivery.json";
    private static final String CUSTODY = "waybill.custody.transferred.v1";
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** The sample POD with its own message id and minute: a distinct custody transfer. */
    private static byte[] transfer(int n) throws Exception {
        ObjectNode raw = (ObjectNode) ChainWitness.JSON.readTree(SampleCatalog.bytes(POD));
        raw.put("messageId", "SL-20261127-00" + (1300 + n));
        raw.put("eventTimeUtc", "2026-11-27T10:" + (10 + n) + ":00Z");
        raw.put("wb_received_ms", raw.get("wb_received_ms").asLong() + 600_000L * (n + 1));
        return ChainWitness.JSON.writeValueAsBytes(raw);
    }

    @Test
    void everyCustodyTransferGetsAProofTheChainBearsOutAndATamperedEventFailsItsCheck() throws Exception {
        ChainWitness chain = new ChainWitness(stack.ethereum());
        int before = chain.anchoredLogs().size();
        PipelineNames names = PipelineNames.withPrefix("anchor-e2e");
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(names).shards(1)
                .anchoring(stack.ethereum(), ProvenanceSelection.defaults(),
                        new AnchorBatchPolicy(2, Duration.ofSeconds(2)),
                        new AnchorRunSettings(1, Duration.ofSeconds(10), 15, AnchorRunSettings.DEFAULT_URI_BASE,
                                Duration.ofSeconds(90)), Duration.ofMillis(500)).deploy()) {
            int transfers = 5;
            List<byte[]> payloads = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < transfers; i++) {
                payloads.add(transfer(i));
                keys.add("swiftlog-" + i);
            }
            pipeline.publish(payloads, keys);
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();

            // the events as stored: eventId -> (eventKey, stored JSON)
            Map<String, Map<String, AttributeValue>> stored = new LinkedHashMap<>();
            for (Map<String, AttributeValue> item : pipeline.storedEvents()) {
                if (CUSTODY.equals(item.get("type").s())) {
                    stored.put(item.get("eventId").s(), item);
                }
            }
            assertThat(stored).as("five custody transfers stored").hasSize(transfers);

            List<EventProof> proofs = pipeline.anchoring().awaitProofs(stored.keySet(), Duration.ofSeconds(60));
            assertThat(proofs).as("a proof for every transfer").hasSize(transfers);

            List<ObjectNode> proofObjects = new ArrayList<>();
            for (EventProof p : proofs) {
                JsonNode event = ChainWitness.JSON.readTree(stored.get(p.eventId()).get("eventJson").s());
                assertThat(p.eventHash()).as("hash of %s, recomputed here", p.eventId())
                        .isEqualTo(ChainWitness.eventHash(event));
                assertThat(ChainWitness.leadsToRoot(p.eventHash(), p.proof(), p.root())).isTrue();
                ProofCheck check = ProofCheck.of((ObjectNode) event, p, pipeline.anchoring().chain());
                assertThat(check.verified()).as("ProofCheck of %s", p.eventId()).isTrue();

                List<ChainWitness.AnchoredLog> logs = chain.anchoredLogs(p.root());
                assertThat(logs).as("Anchored logs of root %s", p.root()).hasSize(1);
                assertThat(logs.get(0).tx()).isEqualToIgnoringCase(p.receipt().tx());
                assertThat(logs.get(0).block()).isEqualTo(p.receipt().block());
                ChainWitness.Receipt receipt = chain.receipt(p.receipt().tx()).orElseThrow();
                assertThat(receipt.succeeded()).isTrue();
                assertThat(receipt.block()).isEqualTo(p.receipt().block());
                assertThat(chain.anchoredAt(p.root())).isEqualTo(p.receipt().block());
                assertThat(p.receipt().chainId()).isEqualTo(31337);
                assertThat(p.receipt().contract()).isEqualTo(stack.ethereum().registry());
                proofObjects.add(p.toJson());
            }
            Map<String, List<EventProof>> byRoot = proofs.stream().collect(Collectors.groupingBy(EventProof::root));
            // batches close at 2 events (or 2 s): five events make at least three roots, each anchored once
            assertThat(byRoot.size()).isGreaterThanOrEqualTo(3);
            assertThat(chain.anchoredLogs().size() - before).as("one Anchored log per batch root")
                    .isEqualTo(byRoot.size());
            Optional<List<Boolean>> byLibrary = ChainWitness.verifiedByOpenZeppelin(proofObjects);
            if (byLibrary.isPresent()) {
                assertThat(byLibrary.get()).hasSize(transfers).containsOnly(true);
            } else {
                System.out.println("@openzeppelin/merkle-tree or node missing: proofs folded in Java only");
            }

            // redelivery: every record of the (single-shard) canonical stream put on it again, twice, then a new
            // transfer behind them; once the new one has its proof, the intake has read the redeliveries
            KinesisClient kinesis = stack.clients().kinesis();
            String shard = kinesis.listShards(r -> r.streamName(names.canonicalStream())).shards().get(0).shardId();
            String iterator = kinesis.getShardIterator(r -> r.streamName(names.canonicalStream()).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            List<byte[]> again = new ArrayList<>();
            List<String> againKeys = new ArrayList<>();
            for (int i = 0; i < 10 && again.size() < transfers; i++) {
                GetRecordsResponse page = kinesis.getRecords(r -> r.shardIterator(iterator).limit(1000));
                page.records().forEach(r -> {
                    again.add(r.data().asByteArray());
                    againKeys.add(r.partitionKey());
                });
                if (!page.records().isEmpty()) {
                    break;
                }
            }
            assertThat(again).as("the canonical records").hasSizeGreaterThanOrEqualTo(transfers);
            LocalPipeline.publish(kinesis, names.canonicalStream(), again, againKeys);
            LocalPipeline.publish(kinesis, names.canonicalStream(), again, againKeys);
            int logsAfterAnchoring = chain.anchoredLogs().size();
            pipeline.publish(List.of(transfer(transfers)), List.of("swiftlog-marker"));
            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();
            String marker = pipeline.storedEvents().stream().filter(i -> CUSTODY.equals(i.get("type").s()))
                    .map(i -> i.get("eventId").s()).filter(id -> !stored.containsKey(id)).findFirst().orElseThrow();
            assertThat(pipeline.anchoring().awaitProofs(List.of(marker), Duration.ofSeconds(60))).hasSize(1);
            Thread.sleep(3_000); // longer than the batch's 2 s: a re-queued event would have been sealed by now
            pipeline.anchoring().pass();
            assertThat(chain.anchoredLogs().size() - logsAfterAnchoring).as("only the new transfer's root")
                    .isEqualTo(1);
            assertThat(pipeline.anchoring().ledger().oldestQueued(10)).as("nothing queued again").isEmpty();
            for (EventProof p : proofs) {
                assertThat(pipeline.anchoring().proofs().find(p.eventId())).as("proof of %s unchanged", p.eventId())
                        .contains(p);
            }

            // tampering: the first event's stored JSON is altered after anchoring
            EventProof tamperedProof = proofs.get(0);
            EventProof untouchedProof = proofs.get(1);
            Map<String, AttributeValue> item = new HashMap<>(stored.get(tamperedProof.eventId()));
            ObjectNode altered = (ObjectNode) ChainWitness.JSON.readTree(item.get("eventJson").s());
            String original = altered.toString();
            // the CloudEvents time moved back an hour, as someone rewriting when the handover happened would
            assertThat(altered.hasNonNull("time")).isTrue();
            altered.put("time", java.time.OffsetDateTime.parse(altered.get("time").asText()).minusHours(1)
                    .toInstant().toString());
            assertThat(altered.toString()).as("the alteration changed something").isNotEqualTo(original);
            item.put("eventJson", AttributeValue.fromS(ChainWitness.JSON.writeValueAsString(altered)));
            stack.clients().dynamoDb().putItem(PutItemRequest.builder().tableName(names.eventsTable()).item(item)
                    .build());

            ObjectNode reread = (ObjectNode) ChainWitness.JSON.readTree(stack.clients().dynamoDb().getItem(b -> b
                    .tableName(names.eventsTable()).key(Map.of("eventKey", item.get("eventKey"))).consistentRead(true))
                    .item().get("eventJson").s());
            assertThat(ChainWitness.eventHash(reread)).isNotEqualTo(tamperedProof.eventHash());
            ProofCheck tampered = ProofCheck.of(reread, tamperedProof, pipeline.anchoring().chain());
            assertThat(tampered.verified()).isFalse();
            assertThat(tampered.eventUnaltered()).isFalse();
            assertThat(tampered.proofLeadsToRoot()).as("the proof itself is intact").isTrue();
            assertThat(tampered.rootAnchored()).isTrue();

            ObjectNode untouched = (ObjectNode) ChainWitness.JSON.readTree(
                    stored.get(untouchedProof.eventId()).get("eventJson").s());
            assertThat(ProofCheck.of(untouched, untouchedProof, pipeline.anchoring().chain()).verified()).isTrue();
        }
    }
}
