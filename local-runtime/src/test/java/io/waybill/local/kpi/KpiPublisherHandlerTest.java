package io.waybill.local.kpi;

import io.waybill.kpi.KpiFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.coldchain.EvidenceItem;
import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.aws.eventstore.EventItem;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.kpi.KpiMetrics;
import io.waybill.kpi.KpiPublisherHandler;
import io.waybill.kpi.KpiSettings;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.kpi.KpiAggregatorHandler;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The deployed KPI publisher ({@code functions/kpi}) against the local DynamoDB emulator: the KPI aggregates, incidents
 * and exposure tables created with the functions' own table definitions and filled as the KPI aggregator (the
 * canonical events delivered to {@link KpiAggregatorHandler} as Kinesis records, shuffled and each twice) and the
 * cold-chain function fill them, the handler run with a client on the emulator, its EMF output captured and read back. Lives
 * here because the kpi module cannot depend on local-runtime (the report depends on it).
 */
@Timeout(60)
class KpiPublisherHandlerTest {
    static final String AGGREGATES = "kpi-publisher-aggregates";
    static final String INCIDENTS = "kpi-publisher-incidents";
    static final String EXPOSURE = "kpi-publisher-exposure";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalAwsStack stack;

    @BeforeAll
    static void startStackAndStoreData() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        resources.createTable(DynamoDbKpiAggregates.definition(AGGREGATES));
        resources.createTable(ColdChainTables.incidents(INCIDENTS));
        resources.createTable(ColdChainTables.exposure(EXPOSURE));
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo).build();
        List<CanonicalEvent> delivered = new ArrayList<>(KpiFixtures.events());
        delivered.addAll(KpiFixtures.events()); // redelivered
        java.util.Collections.shuffle(delivered, new java.util.Random(12));
        KpiAggregatorHandler aggregator = new KpiAggregatorHandler(new DynamoDbKpiAggregates(dynamo, AGGREGATES));
        assertThat(aggregator.handleRequest(kinesisEvent(delivered.subList(0, 8)), null).getBatchItemFailures())
                .isEmpty();
        assertThat(aggregator.handleRequest(kinesisEvent(delivered.subList(8, 14)), null).getBatchItemFailures())
                .isEmpty();
        DynamoDbIncidentStore incidents = new DynamoDbIncidentStore(enhanced, INCIDENTS);
        for (ShipmentIncident i : KpiFixtures.incidents()) {
            incidents.open(i, "{}");
        }
        // S1 decided: 5 °C, 12 °C for an hour (above chilled-biologics' 2-8 °C band; read every 15 minutes, the
        // interpolation limit, so all of it is observed), 5 °C again.
        // S2 has evidence but no standing (never decided): not measured.
        DynamoDbEvidenceStore evidence = new DynamoDbEvidenceStore(enhanced, EXPOSURE);
        for (String sscc : List.of(KpiFixtures.S1, KpiFixtures.S2)) {
            evidence.storeNew(sscc, java.util.stream.Stream.of(point("e1", KpiFixtures.S1, "08:00", 5.0),
                            point("e2", KpiFixtures.S1, "09:00", 12.0), point("e2b", KpiFixtures.S1, "09:15", 12.0),
                            point("e2c", KpiFixtures.S1, "09:30", 12.0), point("e2d", KpiFixtures.S1, "09:45", 12.0),
                            point("e3", KpiFixtures.S1, "10:00", 5.0),
                            point("e4", KpiFixtures.S2, "09:30", 20.0))
                    .filter(e -> e.shipmentSscc().equals(sscc))
                    .map(e -> new io.waybill.domain.decision.EvidenceArrival(e, null, null, null)).toList());
        }
        var key = ColdChainTables.exposureSchema().tableMetadata();
        dynamo.putItem(b -> b.tableName(EXPOSURE).item(Map.of(
                key.primaryPartitionKey(), AttributeValue.fromS(KpiFixtures.S1),
                key.primarySortKey().orElseThrow(), AttributeValue.fromS(EvidenceItem.STANDING_KEY),
                "status", AttributeValue.fromS("BREACHED"))));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    static KinesisEvent kinesisEvent(List<CanonicalEvent> events) {
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setData(java.nio.ByteBuffer.wrap(CanonicalEventJson.toJsonString(events.get(i))
                    .getBytes(StandardCharsets.UTF_8)));
            kinesis.setSequenceNumber(String.valueOf(1000 + i));
            kinesis.setPartitionKey(events.get(i).subject());
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventID("shardId-000000000000:" + (1000 + i));
            records.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    private static ExposureEvidence point(String id, String sscc, String hhmm, double celsius) {
        var t = KpiFixtures.at(hhmm);
        return new ExposureEvidence(id, sscc, "logger-1", ExposureEvidence.Kind.POINT, t, t, celsius, 0);
    }

    private static KpiSettings settings() {
        return KpiSettings.fromEnvironment(Map.of("WAYBILL_KPI_AGGREGATES_TABLE", AGGREGATES, "WAYBILL_INCIDENTS_TABLE",
                INCIDENTS, "WAYBILL_EXPOSURE_TABLE", EXPOSURE));
    }

    /** Runs the handler as Lambda would (a scheduled event), stdout captured: the EMF documents, one per line. */
    private static List<JsonNode> runAndReadDocuments(StringBuilder summary) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            KpiPublisherHandler handler = new KpiPublisherHandler(settings(), stack.clients().dynamoDb(),
                    KpiMetrics.toStream(System.out, "Waybill", "kpi"),
                    Clock.fixed(KpiFixtures.AS_OF, ZoneOffset.UTC));
            summary.append(handler.handleRequest(new com.amazonaws.services.lambda.runtime.events.ScheduledEvent(),
                    null));
        } finally {
            System.setOut(stdout);
        }
        List<JsonNode> docs = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).lines().toList()) {
            if (line.contains("\"_aws\"")) {
                docs.add(JSON.readTree(line));
            }
        }
        return docs;
    }

    private static JsonNode document(List<JsonNode> docs, String dimension, String value) {
        return docs.stream().filter(d -> value.equals(d.path(dimension).asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + dimension + "=" + value + " in " + docs));
    }

    @Test
    void oneEmfDocumentPerLaneAndFacilityWithTheServiceDimension() throws Exception {
        StringBuilder summary = new StringBuilder();
        List<JsonNode> docs = runAndReadDocuments(summary);

        assertThat(docs).hasSize(6); // lanes DC->HUB, DC->?, HUB->STORE; facilities DC, HUB, STORE
        for (JsonNode d : docs) {
            JsonNode directive = d.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("Waybill");
            assertThat(directive.path("Dimensions").toString())
                    .isIn("[[\"Service\",\"Lane\"]]", "[[\"Service\",\"Facility\"]]");
            assertThat(d.path("Service").asText()).isEqualTo("kpi");
            assertThat(d.path("asOf").asText()).isEqualTo("2026-11-21T00:00:00Z");
        }
        assertThat(docs.stream().map(d -> d.has("Lane") ? d.path("Lane").asText() : d.path("Facility").asText()))
                .containsExactly(KpiFixtures.DC + "->" + KpiFixtures.HUB, KpiFixtures.DC + "->?",
                        KpiFixtures.HUB + "->" + KpiFixtures.STORE, KpiFixtures.DC, KpiFixtures.HUB,
                        KpiFixtures.STORE);

        JsonNode lane = document(docs, "Lane", KpiFixtures.DC + "->" + KpiFixtures.HUB);
        assertThat(lane.path("Shipments").asDouble()).isEqualTo(2);
        assertThat(lane.path("TransitTimeP50Seconds").asDouble()).isEqualTo(4 * 3600);
        assertThat(lane.path("TransitTimeP90Seconds").asDouble()).isEqualTo(6 * 3600);
        assertThat(lane.path("SpoilageIncidents").asDouble()).isEqualTo(2);
        assertThat(lane.path("OpenExceptions").asDouble()).isEqualTo(1);
        assertThat(lane.path("ExceptionResolutionP50Seconds").asDouble()).isEqualTo(Duration.ofHours(2).toSeconds());
        assertThat(lane.path("OldestOpenExceptionAgeSeconds").asDouble()).isEqualTo(Duration.ofHours(13).toSeconds());
        // S1's exposure (the only decided shipment): 60 min at 12 °C, 4 °C above the band -> 240 °C·min.
        assertThat(lane.path("TemperatureExposureMinutes").asDouble()).isEqualTo(60.0);
        assertThat(lane.path("DegreeMinutesAbove").asDouble()).isEqualTo(240.0);
        assertThat(lane.path("ShipmentsWithTimeOutOfRange").asDouble()).isEqualTo(1);
        assertThat(lane.has("OnTimeArrivalPercent")).as("no schedule: undefined, omitted").isFalse();

        JsonNode hub = document(docs, "Facility", KpiFixtures.HUB);
        assertThat(hub.path("DwellTimeP50Seconds").asDouble()).isEqualTo(7200);
        assertThat(hub.path("ShipmentsPresent").asDouble()).isEqualTo(1);
        assertThat(hub.path("ShipmentsArrived").asDouble()).isEqualTo(2);

        assertThat(summary.toString()).contains("asOf=2026-11-21T00:00:00Z", "aggregateItemsRead=6",
                "events=7", "shipments=3", "lanes=3", "facilities=3", "exceptions=2", "openExceptions=1",
                "shipmentsWithExposure=1", "emfDocuments=6");
    }

    @Test
    void theRunReportsWhatItRead() {
        KpiPublisherHandler.Run run = new KpiPublisherHandler(settings(), stack.clients().dynamoDb(),
                KpiMetrics.toStream(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.fixed(KpiFixtures.AS_OF, ZoneOffset.UTC)).publish();
        assertThat(run.kpis().asOf()).isEqualTo(KpiFixtures.AS_OF);
        assertThat(run.kpis().exceptions().total()).isEqualTo(2);
        assertThat(run.exposures()).isEqualTo(1);
        assertThat(run.documents()).isEqualTo(6);
        assertThat(run.totals()).containsEntry("events", 7).containsEntry("spoilageIncidents", 2)
                .containsEntry("unattributedExceptions", 0);
    }
}
