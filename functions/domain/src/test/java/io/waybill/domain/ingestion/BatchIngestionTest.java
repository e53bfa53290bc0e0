package io.waybill.domain.ingestion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.domain.testing.InMemoryPorts;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchIngestionTest {
    private static final String SSCC = "106141412345678908";
    private final InMemoryPorts.Ledger ledger = new InMemoryPorts.Ledger();
    private final InMemoryPorts.Shipments shipments = new InMemoryPorts.Shipments();
    private final InMemoryPorts.DeadLetters deadLetters = new InMemoryPorts.DeadLetters();
    private final BatchIngestion ingestion = new BatchIngestion(RecordNormalizer.standard(), ledger, shipments,
            deadLetters, Clock.systemUTC());
    private int sequence;

    private RawRecord record(String samplePath) {
        return record(SampleCatalog.json(samplePath).toString().getBytes(StandardCharsets.UTF_8));
    }

    private RawRecord record(byte[] payload) {
        sequence++;
        return new RawRecord(payload, new RecordOrigin("arn:aws:kinesis:eu-west-1:123456789012:stream/waybill-telemetry",
                "shardId-000000000000", String.valueOf(1000 + sequence), "pk"), Instant.parse("2026-11-27T12:00:00Z"));
    }

    private List<RawRecord> journey() {
        return new ArrayList<>(List.of(record("raw/swiftlog/departed.json"), record("raw/thermotrack/window-summary.json"),
                record("raw/gps-tracker/ping.json"), record("raw/gps-tracker/geofence-enter.json"),
                record("raw/swiftlog/proof-of-delivery.json")));
    }

    @Test
    void duplicatesInsideOneBatchCostNoWrite() {
        RawRecord reading = record("raw/coldchainco/reading.json");
        BatchOutcome outcome = ingestion.ingest(List.of(reading, record(reading.payload()), record(reading.payload())), Instant.now());

        assertThat(outcome.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.DUPLICATE_IN_BATCH, RecordOutcome.DUPLICATE_IN_BATCH);
        assertThat(ledger.writeRequests).isEqualTo(1);
        assertThat(ledger.stored).hasSize(1);
    }

    @Test
    void redeliveredBatchIsStoredOnceAndProjectionIsNotRewritten() {
        List<RawRecord> batch = journey();
        ingestion.ingest(batch, Instant.now());
        int savesAfterFirst = shipments.saves;

        BatchOutcome again = ingestion.ingest(batch, Instant.now());

        assertThat(again.count(RecordOutcome.DUPLICATE_IN_STORE)).isEqualTo(batch.size());
        assertThat(ledger.stored).hasSize(batch.size());
        assertThat(shipments.saves).as("an unchanged projection is not written again").isEqualTo(savesAfterFirst);
        assertThat(again.projectionWrites()).isZero();
    }

    @Test
    void projectionIsWrittenAtMostOncePerShipmentPerBatch() {
        BatchOutcome outcome = ingestion.ingest(journey(), Instant.now());

        assertThat(outcome.projectionWrites()).isEqualTo(1);
        assertThat(shipments.saves).isEqualTo(1);
        assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);
        assertThat(shipments.state(SSCC).custodianGln()).isEqualTo("0614141000258");
    }

    @Test
    void poisonRecordIsDeadLetteredWithContextAndTheRestOfTheBatchIsStored() {
        List<RawRecord> batch = journey();
        RawRecord poison = record(SampleCatalog.bytes("malformed/wrong-check-digit.json"));
        batch.add(2, poison);

        BatchOutcome outcome = ingestion.ingest(batch, Instant.now());

        assertThat(outcome.firstRetryIndex()).isEmpty();
        assertThat(outcome.count(RecordOutcome.STORED)).isEqualTo(5);
        assertThat(outcome.outcomes().get(2)).isEqualTo(RecordOutcome.DEAD_LETTERED);
        assertThat(outcome.rejections()).containsEntry(RejectionReason.INVALID_IDENTITY, 1);
        DeadLetter letter = deadLetters.sent.get(0);
        assertThat(letter.payload()).isEqualTo(poison.payload());
        assertThat(letter.origin().sequenceNumber()).isEqualTo(poison.origin().sequenceNumber());
        assertThat(letter.origin().shardId()).isEqualTo("shardId-000000000000");
        assertThat(letter.adapter()).isEqualTo("coldchainco");
        assertThat(letter.arrivedAt()).isEqualTo(poison.streamArrival());
    }

    @Test
    void transientStoreFailureStopsTheBatchAtThatRecordAndNothingAfterIsWritten() {
        List<RawRecord> batch = journey();
        String failingKey = RecordNormalizer.standard().normalize(batch.get(2)) instanceof io.waybill.domain.normalize.NormalizationResult.Normalized n
                ? n.event().eventKey() : null;
        ledger.failOnceFor.add(failingKey);

        BatchOutcome first = ingestion.ingest(batch, Instant.now());

        assertThat(first.firstRetryIndex()).hasValue(2);
        assertThat(first.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.STORED,
                RecordOutcome.RETRY, RecordOutcome.RETRY, RecordOutcome.RETRY);
        assertThat(ledger.stored).hasSize(2);

        // Lambda redelivers from the failed record: the retry completes the batch with no second effect.
        BatchOutcome retry = ingestion.ingest(batch.subList(2, batch.size()), Instant.now());
        assertThat(retry.firstRetryIndex()).isEmpty();
        assertThat(ledger.stored).hasSize(5);
        assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);
    }

    @Test
    void concurrentWritesStillRedeliverFromTheLowestFailedRecordAndStoreEachEventOnce() throws Exception {
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            BatchIngestion concurrent = new BatchIngestion(RecordNormalizer.standard(), ledger, shipments, deadLetters,
                    CanonicalEventPublisher.NONE, Clock.systemUTC(), writers);
            List<RawRecord> batch = journey();
            batch.add(record(SampleCatalog.bytes("malformed/unknown-vendor.json")));
            String failingKey = ((io.waybill.domain.normalize.NormalizationResult.Normalized)
                    RecordNormalizer.standard().normalize(batch.get(2))).event().eventKey();
            ledger.failOnceFor.add(failingKey);

            BatchOutcome first = concurrent.ingest(batch, Instant.now());

            assertThat(first.firstRetryIndex()).hasValue(2);
            assertThat(first.outcomes().subList(0, 2)).containsOnly(RecordOutcome.STORED);
            assertThat(first.outcomes().subList(2, batch.size())).containsOnly(RecordOutcome.RETRY);
            assertThat(ledger.stored).doesNotContainKey(failingKey);

            BatchOutcome retry = concurrent.ingest(batch.subList(2, batch.size()), Instant.now());

            assertThat(retry.firstRetryIndex()).isEmpty();
            assertThat(ledger.stored).hasSize(5).containsKey(failingKey);
            assertThat(retry.outcomes().get(0)).isEqualTo(RecordOutcome.STORED);
            assertThat(retry.outcomes().get(retry.outcomes().size() - 1)).isEqualTo(RecordOutcome.DEAD_LETTERED);
            assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void unreachableDeadLetterQueueMeansRetryNotLoss() {
        deadLetters.unavailable = true;
        List<RawRecord> batch = List.of(record("raw/coldchainco/reading.json"), record(SampleCatalog.bytes("malformed/truncated.json")),
                record("raw/coldchainco/alarm.json"));

        BatchOutcome outcome = ingestion.ingest(batch, Instant.now());

        assertThat(outcome.firstRetryIndex()).hasValue(1);
        assertThat(outcome.failure()).contains("dead-letter queue");
        assertThat(ledger.stored).hasSize(1);
    }

    @Test
    void lostProjectionUpdateIsRepairedWhenTheBatchIsRedelivered() {
        List<RawRecord> batch = journey();
        shipments.failNextSaves = 1;

        BatchOutcome first = ingestion.ingest(batch, Instant.now());
        assertThat(first.firstRetryIndex()).hasValue(0);
        assertThat(ledger.stored).hasSize(5);
        assertThat(shipments.items).isEmpty();

        BatchOutcome retry = ingestion.ingest(batch, Instant.now());
        assertThat(retry.count(RecordOutcome.DUPLICATE_IN_STORE)).isEqualTo(5);
        assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);
    }

    @Test
    void concurrentProjectionWriterIsResolvedByReloadingNotByOverwriting() {
        shipments.conflictOnceFor.add(SSCC);

        BatchOutcome outcome = ingestion.ingest(journey(), Instant.now());

        assertThat(outcome.firstRetryIndex()).isEmpty();
        assertThat(shipments.saves).isEqualTo(2);
        assertThat(shipments.items.get(SSCC).version()).isEqualTo(2);
    }

    @Test
    void countsAreConserved() {
        List<RawRecord> batch = journey();
        batch.add(record(batch.get(0).payload()));
        batch.add(record(SampleCatalog.bytes("malformed/unknown-vendor.json")));

        BatchOutcome outcome = ingestion.ingest(batch, Instant.now());

        long stored = outcome.count(RecordOutcome.STORED);
        long duplicates = outcome.count(RecordOutcome.DUPLICATE_IN_BATCH) + outcome.count(RecordOutcome.DUPLICATE_IN_STORE);
        long deadLettered = outcome.count(RecordOutcome.DEAD_LETTERED);
        assertThat(stored + duplicates + deadLettered).isEqualTo(batch.size());
        assertThat(List.of(stored, duplicates, deadLettered)).containsExactly(5L, 1L, 1L);
    }

    @Test
    void resendDaysLaterIsStillAbsorbed() {
        ObjectNode raw = (ObjectNode) SampleCatalog.json("raw/swiftlog/departed.json");
        ingestion.ingest(List.of(record(raw.toString().getBytes(StandardCharsets.UTF_8))), Instant.now());
        raw.put("wb_received_ms", raw.path("wb_received_ms").asLong() + 3L * 24 * 3600 * 1000);

        BatchOutcome later = ingestion.ingest(List.of(record(raw.toString().getBytes(StandardCharsets.UTF_8))), Instant.now());

        assertThat(later.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
    }
}
