package io.waybill.local.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.decision.ColdChainLoop;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 on the local stack: the cold chain's decision goes onto the canonical stream exactly as the compliance
 * record stores it, and its own consumers (the cold chain, the KPI aggregator) read it back without effect.
 */
@Timeout(120)
class ColdChainDecisionOnCanonicalStreamTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theDecisionIsOnTheCanonicalStreamAsStoredAndComesBackAsNothing() throws Exception {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        List<EdgeMessage> all = new ArrayList<>(
                new ReeferEdgeModel(trip.reeferConfig().build()).acceptAll(trip.readings()));
        all.addAll(new ReeferEdgeModel(trip.reeferConfig().build()).flush());
        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (EdgeMessage m : all) {
            ObjectNode n = (ObjectNode) CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toBytes(m));
            n.put("wb_route", "waybill-edge/" + trip.deviceId());
            n.put("wb_received_ms", m.deviceTime().toEpochMilli() + 350);
            payloads.add(n.toString().getBytes(StandardCharsets.UTF_8));
            keys.add(trip.deviceId());
        }
        List<ColdChainLoop.Outcome> batches = new CopyOnWriteArrayList<>();
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("ccpub" + Long.toHexString(System.nanoTime())))
                     .shards(2).coldChain(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build(),
                             batches::add).deploy()) {
            pipeline.publish(payloads, keys);
            PipelineNames names = pipeline.names();
            long deadline = System.nanoTime() + WAIT.toNanos();
            List<String> decisionsOnStream = List.of();
            while (System.nanoTime() < deadline) {
                decisionsOnStream = canonicalRecords(pipeline.clients().kinesis(), names.canonicalStream()).stream()
                        .filter(j -> j.contains("\"source\":\"" + ColdChainLoop.SOURCE + "\"")).toList();
                if (!decisionsOnStream.isEmpty() && pipeline.awaitIdle(Duration.ofSeconds(2))
                        && pipeline.coldChainMapping().awaitIdle(Duration.ofSeconds(2))) {
                    break;
                }
                Thread.sleep(200);
            }
            // give the consumers time to read the decision back
            pipeline.coldChainMapping().awaitIdle(Duration.ofSeconds(5));

            List<Map<String, AttributeValue>> compliance = scan(pipeline, names.complianceTable());
            assertThat(compliance).hasSize(1);
            String stored = compliance.get(0).get("eventJson").s();
            assertThat(stored).contains("\"evidenceCommitment\":{\"algorithm\":\"sha256-jcs-v1\",\"items\":"
                    + all.size() + ",");
            // exactly the stored bytes; possibly more than once (consumers dedupe by id), never another version
            assertThat(decisionsOnStream).isNotEmpty().allSatisfy(j -> assertThat(j).isEqualTo(stored));
            // read back by the cold chain: still one incident, one decision event, one compliance record
            assertThat(scan(pipeline, names.incidentsTable())).hasSize(1);
            assertThat(pipeline.storedEvents().stream()
                    .filter(i -> ColdChainLoop.SOURCE.equals(i.get("source").s()))).hasSize(1);
            assertThat(batches.stream().mapToInt(ColdChainLoop.Outcome::incidentsOpened).sum()).isEqualTo(1);
            // the KPI aggregator folded no movement from it (the trip has none)
            assertThat(scan(pipeline, names.kpiAggregatesTable())).isEmpty();
        }
    }

    private static List<String> canonicalRecords(KinesisClient kinesis, String stream) {
        List<String> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String it = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int i = 0; i < 50 && it != null; i++) {
                String from = it;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(from).limit(1000));
                r.records().forEach(rec -> out.add(rec.data().asUtf8String()));
                if (r.records().isEmpty()) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return out;
    }

    private static List<Map<String, AttributeValue>> scan(LocalPipeline p, String table) {
        return p.clients().dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items();
    }
}
