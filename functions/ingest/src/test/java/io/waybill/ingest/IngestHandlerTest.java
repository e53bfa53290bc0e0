package io.waybill.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.ingestion.BatchIngestion;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The handler's mapping, with the domain's ports in memory; the DynamoDB/SQS adapters are tested on emulators. */
class IngestHandlerTest {
    private static final String EVENT = "samples/lambda/kinesis-batch-with-duplicate-and-poison.json";

    private final Set<String> stored = new HashSet<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<String, ShipmentStateStore.Versioned> shipments = new HashMap<>();
    private String failOnEventId;
    /** The consumer watermarks the handler advanced: consumer -> newest arrival. */
    private final Map<String, java.time.Instant> marks = new HashMap<>();
    /** The source marks the handler advanced, in order. */
    private final List<io.waybill.domain.ops.SourceWatermarks.Mark> sourceMarks = new ArrayList<>();
    private boolean failSourceWrites;

    private IngestHandler handler() {
        EventLedger ledger = (event, started) -> {
            if (event.event().id().equals(failOnEventId)) {
                throw new TransientDependencyException("event store", "ProvisionedThroughputExceededException", null);
            }
            return stored.add(event.event().eventKey()) ? EventLedger.Append.APPENDED
                    : EventLedger.Append.existing(event.json(), event.event().contenthash(), event.event().contenthash());
        };
        ShipmentStateStore projection = new ShipmentStateStore() {
            @Override
            public Versioned load(String sscc) {
                return shipments.getOrDefault(sscc, new Versioned(null, null));
            }

            @Override
            public boolean save(io.waybill.domain.projection.ShipmentState state, Long expectedVersion) {
                shipments.put(state.shipmentSscc(), new Versioned(state, expectedVersion == null ? 1 : expectedVersion + 1));
                return true;
            }
        };
        BatchIngestion ingestion = new BatchIngestion(RecordNormalizer.standard(), ledger, projection, deadLetters::add, Clock.systemUTC());
        io.waybill.domain.ops.ConsumerWatermarks watermarks = new io.waybill.domain.ops.ConsumerWatermarks() {
            @Override
            public void advance(String consumer, java.time.Instant lastArrival, java.time.Instant processedAt) {
                marks.merge(consumer, lastArrival, (a, b) -> a.isAfter(b) ? a : b);
            }

            @Override
            public List<Watermark> all() {
                throw new UnsupportedOperationException();
            }
        };
        io.waybill.domain.ops.SourceWatermarks sources = new io.waybill.domain.ops.SourceWatermarks() {
            @Override
            public void advance(Mark mark) {
                if (failSourceWrites) {
                    throw new TransientDependencyException("source watermarks", "ThrottlingException", null);
                }
                sourceMarks.add(mark);
            }

            @Override
            public List<Mark> all() {
                throw new UnsupportedOperationException();
            }
        };
        return new IngestHandler(new IngestFunction(ingestion, IngestTelemetry.logOnly(), Clock.systemUTC(),
                watermarks).withSources(sources));
    }

    @Test
    void eachSourceOfTheStoredEventsIsMarkedOnceWithItsNewestEventTime() {
        // the fixture: thermotrack TT-0042 (win_end 1795766400 = 08:00:00Z, arrived 08:00:02Z); coldchainco CC-0009
        // (reading.at 1795766400123 = 08:00:00.123Z, arrived 08:00:02.25Z) and its in-batch duplicate (not stored);
        // an unknown adapter (dead-lettered); swiftlog (eventTimeUtc 08:01:00Z, 30 s after its broker time, within
        // the 2 min future bound so kept; arrived 08:00:03Z)
        handler().handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
        assertThat(sourceMarks).containsExactly(
                new io.waybill.domain.ops.SourceWatermarks.Mark("thermotrack",
                        java.time.Instant.parse("2026-11-27T08:00:00Z"), java.time.Instant.parse("2026-11-27T08:00:02Z")),
                new io.waybill.domain.ops.SourceWatermarks.Mark("coldchainco",
                        java.time.Instant.parse("2026-11-27T08:00:00.123Z"),
                        java.time.Instant.parse("2026-11-27T08:00:02.250Z")),
                new io.waybill.domain.ops.SourceWatermarks.Mark("swiftlog",
                        java.time.Instant.parse("2026-11-27T08:01:00Z"), java.time.Instant.parse("2026-11-27T08:00:03Z")));
    }

    @Test
    void aSourceMarkThatCannotBeWrittenDoesNotFailTheBatch() {
        failSourceWrites = true;
        StreamsEventResponse response = handler().handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stored).hasSize(3);
        assertThat(marks).containsKey("ingest");
    }

    @Test
    void onlyTheRecordsBeforeARetryMarkTheirSource() {
        failOnEventId = "cc9-000451"; // the second record: only thermotrack's was stored
        handler().handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
        assertThat(sourceMarks).extracting(io.waybill.domain.ops.SourceWatermarks.Mark::source)
                .containsExactly("thermotrack");
    }

    @Test
    void theWatermarkIsTheNewestArrivalOfTheProcessedRecordsOnly() {
        // the fixture's five records arrived at 1795766402.0, .25, .5, .75 and 1795766403.0 (epoch seconds)
        handler().handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
        assertThat(marks).containsEntry("ingest", java.time.Instant.ofEpochMilli(1_795_766_403_000L));

        marks.clear();
        failOnEventId = "cc9-000451"; // the second record: only the first (1795766402.0) was processed
        handler().handleRequest(EventLoader.loadKinesisEvent(EVENT), null);
        assertThat(marks).containsEntry("ingest", java.time.Instant.ofEpochMilli(1_795_766_402_000L));
    }

    @Test
    void batchWithDuplicateAndPoisonSucceedsAndDeadLettersThePoisonWithItsOrigin() {
        KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);

        StreamsEventResponse response = handler().handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(stored).hasSize(3);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(RejectionReason.UNKNOWN_ADAPTER);
            assertThat(d.origin().shardId()).isEqualTo("shardId-000000000000");
            assertThat(d.origin().sequenceNumber()).isEqualTo(event.getRecords().get(3).getKinesis().getSequenceNumber());
            assertThat(d.origin().stream()).isEqualTo("arn:aws:kinesis:eu-west-1:123456789012:stream/waybill-telemetry");
            assertThat(d.arrivedAt()).isNotNull();
        });
    }

    @Test
    void transientFailureReportsTheFailedRecordsSequenceNumberAsTheOnlyBatchItemFailure() {
        KinesisEvent event = EventLoader.loadKinesisEvent(EVENT);
        failOnEventId = "cc9-000451"; // the second record

        StreamsEventResponse response = handler().handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).singleElement()
                .extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .isEqualTo(event.getRecords().get(1).getKinesis().getSequenceNumber());
        assertThat(stored).hasSize(1);
        assertThat(deadLetters).as("records after the failure wait for redelivery").isEmpty();
    }

    @Test
    void emptyBatchIsASuccess() {
        StreamsEventResponse response = handler().handleRequest(new KinesisEvent(), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
    }

    @Test
    void shardIdIsTakenFromTheLambdaEventId() {
        assertThat(KinesisRecords.shardOf("shardId-000000000006:49590338271490256608559692538361571095921575989136588898"))
                .isEqualTo("shardId-000000000006");
        assertThat(KinesisRecords.shardOf(null)).isNull();
    }

    @Test
    void normalisedSamplesAreWhatTheLedgerReceives() {
        List<NormalizationResult.Normalized> seen = new ArrayList<>();
        BatchIngestion ingestion = new BatchIngestion(RecordNormalizer.standard(), (e, t) -> {
            seen.add(e);
            return EventLedger.Append.APPENDED;
        }, new ShipmentStateStore() {
            @Override
            public Versioned load(String sscc) {
                return new Versioned(null, null);
            }

            @Override
            public boolean save(io.waybill.domain.projection.ShipmentState state, Long expectedVersion) {
                return true;
            }
        }, d -> { }, Clock.systemUTC());
        new IngestHandler(new IngestFunction(ingestion, IngestTelemetry.logOnly(), Clock.systemUTC()))
                .handleRequest(EventLoader.loadKinesisEvent(EVENT), null);

        assertThat(seen).extracting(n -> n.event().type()).containsExactly("waybill.temperature.observed.v1",
                "waybill.temperature.observed.v1", "waybill.shipment.departed.v1");
        assertThat(seen.get(0).event().streamtime()).isNotNull();
        assertThat(seen.get(0).json()).contains("\"specversion\":\"1.0\"");
    }
}
