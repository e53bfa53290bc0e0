package io.waybill.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.ingestion.BatchOutcome;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class IngestTelemetryTest {

    @Test
    void batchMetricsAreEmittedInEmbeddedMetricFormat() throws Exception {
        KinesisEvent event = EventLoader.loadKinesisEvent("samples/lambda/kinesis-batch-with-duplicate-and-poison.json");
        BatchOutcome outcome = new BatchOutcome(List.of(RecordOutcome.STORED, RecordOutcome.STORED,
                RecordOutcome.DUPLICATE_IN_BATCH, RecordOutcome.DEAD_LETTERED, RecordOutcome.STORED),
                OptionalInt.empty(), null, 2, Map.of(RejectionReason.UNKNOWN_ADAPTER, 1));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            IngestTelemetry telemetry = new IngestTelemetry(MetricsBuilder.builder().withNamespace("WaybillTest")
                    .withService("ingest").build());
            Instant now = Instant.now();
            telemetry.publish(event.getRecords(), outcome, now, now.plusMillis(40));
        } finally {
            System.setOut(original);
        }

        JsonNode emf = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"_aws\"")).map(IngestTelemetryTest::json).findFirst()
                .orElseThrow(() -> new AssertionError("no EMF document on stdout: " + captured));
        assertThat(emf.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText()).isEqualTo("WaybillTest");
        assertThat(emf.path("EventsStored").asDouble()).isEqualTo(3);
        assertThat(emf.path("DuplicatesAbsorbed").asDouble()).isEqualTo(1);
        assertThat(emf.path("RecordsDeadLettered").asDouble()).isEqualTo(1);
        assertThat(emf.path("ProjectionWrites").asDouble()).isEqualTo(2);
        assertThat(emf.path("HandlerDuration").asDouble()).isEqualTo(40);
    }

    @Test
    void eachStoredEventAddsItsLatencyPerBoundaryAsEmfValues() throws Exception {
        KinesisEvent event = EventLoader.loadKinesisEvent("samples/lambda/kinesis-batch-with-duplicate-and-poison.json");
        Instant edge = Instant.parse("2026-11-27T10:00:00Z");
        Instant handler = edge.plusMillis(900);
        List<io.waybill.domain.ingestion.BoundaryTimes> stored = List.of(
                new io.waybill.domain.ingestion.BoundaryTimes(edge.minusSeconds(5), edge, edge.plusMillis(120),
                        edge.plusMillis(500), handler, handler.plusMillis(30)),
                new io.waybill.domain.ingestion.BoundaryTimes(edge, null, edge.plusMillis(80), edge.plusMillis(400),
                        handler, handler.plusMillis(45)));
        BatchOutcome outcome = new BatchOutcome(List.of(RecordOutcome.STORED, RecordOutcome.STORED),
                OptionalInt.empty(), null, 1, Map.of(), stored);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new IngestTelemetry(MetricsBuilder.builder().withNamespace("WaybillTest").withService("ingest").build())
                    .publish(event.getRecords(), outcome, handler, handler.plusMillis(50));
        } finally {
            System.setOut(original);
        }

        JsonNode emf = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"_aws\"")).map(IngestTelemetryTest::json).findFirst().orElseThrow();
        // only the edge-path event has an edge time
        assertThat(emf.path("EdgeToBrokerLatency").asDouble()).isEqualTo(120);
        assertThat(emf.path("BrokerToStreamLatency").toString()).isEqualTo("[380.0,320.0]");
        assertThat(emf.path("StreamToHandlerLatency").toString()).isEqualTo("[400.0,500.0]");
        assertThat(emf.path("HandlerToStoredLatency").toString()).isEqualTo("[30.0,45.0]");
    }

    @Test
    void legacyIdReadsAndLegacyDuplicatesAreEmfMetrics() throws Exception {
        KinesisEvent event = EventLoader.loadKinesisEvent("samples/lambda/kinesis-batch-with-duplicate-and-poison.json");
        // 5 records: 3 looked up under their scheme-1 keys, 2 of them found (duplicates of legacy facts).
        BatchOutcome outcome = new BatchOutcome(List.of(RecordOutcome.DUPLICATE_IN_STORE, RecordOutcome.STORED,
                RecordOutcome.DUPLICATE_IN_STORE, RecordOutcome.STORED, RecordOutcome.STORED),
                OptionalInt.empty(), null, 0, Map.of(), List.of(), 3, 2);
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new IngestTelemetry(MetricsBuilder.builder().withNamespace("WaybillTest").withService("ingest").build())
                    .publish(event.getRecords(), outcome, Instant.now(), Instant.now());
        } finally {
            System.setOut(original);
        }

        JsonNode emf = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"_aws\"")).map(IngestTelemetryTest::json).findFirst().orElseThrow();
        assertThat(emf.path("LegacyIdReads").asDouble()).isEqualTo(3);
        assertThat(emf.path("LegacyDuplicates").asDouble()).isEqualTo(2);
        assertThat(emf.path("DuplicatesAbsorbed").asDouble()).isEqualTo(2);
    }

    @Test
    void unassignedFlagsAndSequenceAdvanceFailuresAreEmfMetrics() throws Exception {
        KinesisEvent event = EventLoader.loadKinesisEvent("samples/lambda/kinesis-batch-with-duplicate-and-poison.json");
        BatchOutcome outcome = new BatchOutcome(List.of(RecordOutcome.STORED, RecordOutcome.STORED, RecordOutcome.STORED,
                RecordOutcome.DEAD_LETTERED, RecordOutcome.STORED), OptionalInt.empty(), null, 0,
                Map.of(io.waybill.domain.normalize.RejectionReason.REPLAYED, 1), List.of(), 0, 0,
                new BatchOutcome.Devices(2, 1, "device registry: throttled"));
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new IngestTelemetry(MetricsBuilder.builder().withNamespace("WaybillTest").withService("ingest").build())
                    .publish(event.getRecords(), outcome, Instant.now(), Instant.now());
        } finally {
            System.setOut(original);
        }

        JsonNode emf = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"_aws\"")).map(IngestTelemetryTest::json).findFirst().orElseThrow();
        assertThat(emf.path("UnassignedFlagged").asDouble()).isEqualTo(2);
        assertThat(emf.path("SequenceAdvanceFailures").asDouble()).isEqualTo(1);
        assertThat(emf.path("rejected_REPLAYED").asInt()).isEqualTo(1);
    }

    @Test
    void identityRejectionsSumTheSecurityReasonsOnly() throws Exception {
        KinesisEvent event = EventLoader.loadKinesisEvent("samples/lambda/kinesis-batch-with-duplicate-and-poison.json");
        // 12 dead letters: 2 + 1 + 1 + 3 + 1 = 8 are evidence of an attack or a broken device; UNREGISTERED_DEVICE 2,
        // UNASSIGNED 1 and MISSING_FIELD 1 are not.
        Map<RejectionReason, Integer> rejections = Map.of(RejectionReason.IDENTITY_MISMATCH, 2,
                RejectionReason.DEVICE_REVOKED, 1, RejectionReason.UNSIGNED, 1, RejectionReason.BAD_SIGNATURE, 3,
                RejectionReason.REPLAYED, 1, RejectionReason.UNREGISTERED_DEVICE, 2, RejectionReason.UNASSIGNED, 1,
                RejectionReason.MISSING_FIELD, 1);
        BatchOutcome outcome = new BatchOutcome(java.util.Collections.nCopies(12, RecordOutcome.DEAD_LETTERED),
                OptionalInt.empty(), null, 0, rejections);
        BatchOutcome none = new BatchOutcome(List.of(RecordOutcome.DEAD_LETTERED, RecordOutcome.DEAD_LETTERED),
                OptionalInt.empty(), null, 0, Map.of(RejectionReason.UNREGISTERED_DEVICE, 1, RejectionReason.UNASSIGNED, 1));

        List<JsonNode> emf = emf(event, outcome, none);
        assertThat(emf.get(0).path("IdentityRejections").asDouble()).isEqualTo(8);
        assertThat(emf.get(0).path("RecordsDeadLettered").asDouble()).isEqualTo(12);
        assertThat(emf.get(1).path("IdentityRejections").asDouble()).as("an operator's gap is no attack").isEqualTo(0);
        assertThat(emf.get(0).path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").toString())
                .contains("{\"Name\":\"IdentityRejections\",\"Unit\":\"Count\"}");
    }

    /** The EMF documents of publishing each outcome in turn. */
    private static List<JsonNode> emf(KinesisEvent event, BatchOutcome... outcomes) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            IngestTelemetry telemetry = new IngestTelemetry(MetricsBuilder.builder().withNamespace("WaybillTest")
                    .withService("ingest").build());
            for (BatchOutcome o : outcomes) {
                telemetry.publish(event.getRecords(), o, Instant.now(), Instant.now());
            }
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"_aws\""))
                .map(IngestTelemetryTest::json).toList();
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line.substring(line.indexOf('{')));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
