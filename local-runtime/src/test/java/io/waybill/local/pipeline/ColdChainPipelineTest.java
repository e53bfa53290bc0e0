package io.waybill.local.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.coldchain.EvidenceItem;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ComplianceRecord;
import io.waybill.domain.decision.ColdChainLoop;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.projection.ShipmentState;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision loop on the local stack: the golden reefer trip's edge messages (computed by the edge model itself),
 * each sent twice and shuffled, go through the stream to both consumers; the cold-chain function decides one breach
 * for the unit failure, and nothing for the door opening or the glitch.
 */
@Timeout(120)
class ColdChainPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theUnitFailureIsBreachedOnceWithHoldIncidentAndComplianceRecordWhateverTheDeliveryOrder() throws Exception {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        List<EdgeMessage> messages = new ReeferEdgeModel(trip.reeferConfig().build()).acceptAll(trip.readings());
        List<EdgeMessage> all = new ArrayList<>(messages);
        all.addAll(new ReeferEdgeModel(trip.reeferConfig().build()).flush());
        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (EdgeMessage m : all) {
            ObjectNode n = (ObjectNode) CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toBytes(m));
            n.put("wb_route", "waybill-edge/" + trip.deviceId());
            n.put("wb_received_ms", m.deviceTime().toEpochMilli() + 350);
            for (int copy = 0; copy < 2; copy++) {
                payloads.add(n.toString().getBytes(StandardCharsets.UTF_8));
                keys.add(trip.deviceId());
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        List<ColdChainLoop.Outcome> batches = new CopyOnWriteArrayList<>();
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("cc" + Long.toHexString(System.nanoTime())))
                     .shards(2).coldChain(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build(), batches::add).deploy()) {
            pipeline.publish(order.stream().map(payloads::get).toList(), order.stream().map(keys::get).toList());

            long deadline = System.nanoTime() + WAIT.toNanos();
            PipelineNames names = pipeline.names();
            while (System.nanoTime() < deadline && (scan(pipeline, names.complianceTable()).isEmpty()
                    || !pipeline.awaitIdle(Duration.ofSeconds(2)) || !pipeline.coldChainMapping().awaitIdle(
                    Duration.ofSeconds(2)))) {
                Thread.sleep(200);
            }

            List<Map<String, AttributeValue>> incidents = scan(pipeline, names.incidentsTable());
            assertThat(incidents).hasSize(1);
            Map<String, AttributeValue> incident = incidents.get(0);
            assertThat(incident.get("status").s()).isEqualTo("OPEN");
            assertThat(incident.get("kind").s()).isEqualTo("COLD_CHAIN_BREACH");
            assertThat(incident.get("decisionRecorded").bool()).isTrue();
            assertThat(batches.stream().mapToInt(ColdChainLoop.Outcome::incidentsOpened).sum()).isEqualTo(1);

            List<Map<String, AttributeValue>> decisions = pipeline.storedEvents().stream()
                    .filter(i -> ColdChainLoop.SOURCE.equals(i.get("source").s())).toList();
            assertThat(decisions).hasSize(1);
            String decisionJson = decisions.get(0).get("eventJson").s();
            assertThat(decisionJson).contains("\"decision\":", "TOR_BUDGET_EXCEEDED",
                    incident.get("incidentId").s());

            ShipmentState shipment = pipeline.shipments().get(trip.shipmentSscc());
            assertThat(shipment.onQualityHold()).isTrue();
            assertThat(shipment.qualityHoldIncidentId()).isEqualTo(incident.get("incidentId").s());

            List<Map<String, AttributeValue>> compliance = scan(pipeline, names.complianceTable());
            assertThat(compliance).hasSize(1);
            assertThat(compliance.get(0).get("eventJson").s()).isEqualTo(decisionJson);
            assertThat(compliance.get(0).get("sha256").s()).isEqualTo(ComplianceRecord.sha256(decisionJson));

            Map<String, AttributeValue> standing = scan(pipeline, names.exposureTable()).stream()
                    .filter(i -> EvidenceItem.STANDING_KEY.equals(i.get("recordKey").s())).findFirst().orElseThrow();
            assertThat(standing.get("status").s()).isEqualTo("BREACHED");
            // every piece of evidence carries the decided boundary beside its stream arrival
            List<Map<String, AttributeValue>> evidence = scan(pipeline, names.exposureTable()).stream()
                    .filter(i -> i.get("recordKey").s().startsWith(EvidenceItem.EVIDENCE_PREFIX)).toList();
            assertThat(evidence).hasSize(all.size()).allSatisfy(i -> {
                assertThat(java.time.Instant.parse(i.get("decidedAt").s()))
                        .isAfterOrEqualTo(java.time.Instant.parse(i.get("streamTime").s()));
                assertThat(i.get("brokerTime").s()).isNotBlank();
            });
            // the excursion covers the unit failure, not the door opening or the glitch: 40 minutes and no more
            double tor = Double.parseDouble(standing.get("torSeconds").n());
            assertThat(tor).isBetween(35 * 60.0, 50 * 60.0);

            // one incident opened: one notice on the incident queue (the SNS topic's stand-in), naming it
            assertThat(pipeline.incidentNotifications().orElseThrow().drain()).singleElement().satisfies(n -> {
                assertThat(n.incidentId()).isEqualTo(incident.get("incidentId").s());
                assertThat(n.reason()).isEqualTo(io.waybill.domain.decision.IncidentNotifier.Reason.OPENED);
            });

            // QA through the CLI's code on the real tables: a disposition of an unknown incident is refused, the
            // release disposition and the hold release are events with the actor, and the projection lets go.
            var ops = new io.waybill.local.cli.OperationsCommands(pipeline.clients().dynamoDb(), names,
                    java.time.Clock.systemUTC());
            var out = new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            String incidentId = incident.get("incidentId").s();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ops.disposition(incidentId + "/episode-9",
                            io.waybill.domain.event.IncidentActioned.Disposition.DESTROY, null, "qa.lead", out))
                    .hasMessageContaining("no incident " + incidentId + "/episode-9");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ops.releaseHold(trip.shipmentSscc(), null,
                    "qa.lead", out)).hasMessageContaining("QA must disposition it RELEASE");
            assertThat(ops.disposition(incidentId, io.waybill.domain.event.IncidentActioned.Disposition.RELEASE,
                    "within stability data", "qa.lead", out)).isZero();
            assertThat(ops.releaseHold(trip.shipmentSscc(), "to consignee", "qa.lead", out)).isZero();
            assertThat(pipeline.shipments().get(trip.shipmentSscc()).onQualityHold()).isFalse();
            List<String> actions = pipeline.storedEvents().stream()
                    .filter(i -> io.waybill.domain.incident.IncidentDesk.SOURCE.equals(i.get("source").s()))
                    .map(i -> i.get("eventJson").s()).toList();
            assertThat(actions).hasSize(2).allSatisfy(j -> assertThat(j).contains("\"actor\":\"qa.lead\""));
            assertThat(actions).anySatisfy(j -> assertThat(j).contains("\"action\":\"DISPOSITIONED\"",
                    "\"disposition\":\"RELEASE\""));
            assertThat(actions).anySatisfy(j -> assertThat(j).contains("\"action\":\"HOLD_RELEASED\""));
        }
    }

    private static List<Map<String, AttributeValue>> scan(LocalPipeline p, String table) {
        return p.clients().dynamoDb().scan(b -> b.tableName(table).consistentRead(true)).items();
    }
}
