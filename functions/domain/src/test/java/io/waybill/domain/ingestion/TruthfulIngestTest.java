package io.waybill.domain.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.adapter.AdaptedEvent;
import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.adapter.GpsTrackerAdapter;
import io.waybill.domain.adapter.VendorAdapter;
import io.waybill.domain.adapter.VendorPayload;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.GeoPoint;
import io.waybill.domain.event.ShipmentLocated;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.domain.testing.InMemoryPorts;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The named production scenarios of issue 10, each with its expected result written out by hand from the sample
 * payloads in {@code events-samples/raw} (never computed by the code under test).
 */
class TruthfulIngestTest {
    private static final String SSCC = "106141412345678908";
    private static final Duration NINE_DAYS = Duration.ofDays(9);

    private final InMemoryPorts.Ledger ledger = new InMemoryPorts.Ledger();
    private final InMemoryPorts.Shipments shipments = new InMemoryPorts.Shipments();
    private final InMemoryPorts.DeadLetters deadLetters = new InMemoryPorts.DeadLetters();
    private final List<CanonicalEventPublisher.Publication> published = new ArrayList<>();
    private final CanonicalEventPublisher stream = events -> {
        published.addAll(events);
        return events.size();
    };
    private final BatchIngestion ingestion = ingestion(RecordNormalizer.standard(), stream);
    private int sequence;

    private BatchIngestion ingestion(RecordNormalizer normalizer, CanonicalEventPublisher publisher) {
        return new BatchIngestion(normalizer, ledger, shipments, deadLetters, publisher, Clock.systemUTC(), null);
    }

    private RawRecord record(String samplePath, Consumer<ObjectNode> change) {
        ObjectNode raw = (ObjectNode) SampleCatalog.json(samplePath).deepCopy();
        change.accept(raw);
        sequence++;
        return new RawRecord(raw.toString().getBytes(StandardCharsets.UTF_8), new RecordOrigin("telemetry",
                "shardId-000000000000", String.valueOf(1000 + sequence), "pk"),
                Instant.ofEpochMilli(raw.path("wb_received_ms").asLong()).plusMillis(200));
    }

    private RawRecord record(String samplePath) {
        return record(samplePath, r -> { });
    }

    private static Consumer<ObjectNode> receivedLater(Duration by) {
        return r -> r.put("wb_received_ms", r.path("wb_received_ms").asLong() + by.toMillis());
    }

    @Test
    void aThreePlResendingTheDepartureNineDaysLaterLeavesTheArrivedShipmentArrived() {
        // departed 08:01, arrived 10:00:30 on 2026-11-27 (the samples); the departure is resent on 2026-12-06.
        ingestion.ingest(List.of(record("raw/swiftlog/departed.json"), record("raw/swiftlog/arrived.json")), Instant.now());
        assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);

        BatchOutcome resend = ingestion.ingest(List.of(record("raw/swiftlog/departed.json", receivedLater(NINE_DAYS))),
                Instant.now());

        assertThat(resend.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);
        assertThat(shipments.state(SSCC).statusAt()).isEqualTo(Instant.parse("2026-11-27T10:00:30Z"));
        assertThat(ledger.stored).hasSize(2);
    }

    @Test
    void aDepartureFirstReceivedNineDaysLateKeepsItsTimeAndCannotOvertakeTheArrival() {
        ingestion.ingest(List.of(record("raw/swiftlog/arrived.json")), Instant.now());

        ingestion.ingest(List.of(record("raw/swiftlog/departed.json", receivedLater(NINE_DAYS))), Instant.now());

        CanonicalEvent departed = ledger.stored.get("urn:waybill:swiftlog:SWIFTLOG#SL-20261127-000981").event();
        assertThat(departed.time()).isEqualTo(Instant.parse("2026-11-27T08:01:00Z"));
        assertThat(departed.devicetime()).isEqualTo(Instant.parse("2026-11-27T08:01:00Z"));
        assertThat(departed.late()).isTrue();
        assertThat(shipments.state(SSCC).status()).isEqualTo(ShipmentStatus.ARRIVED);
    }

    @Test
    void aVendorMessageIdReusedForAnotherReadingIsDeadLetteredWithBothVersionsAndTheFirstIsKept() {
        ingestion.ingest(List.of(record("raw/coldchainco/reading.json")), Instant.now());

        // Counter reset: msgId cc9-000451 again, a new reading (6.8 °C an hour later).
        BatchOutcome second = ingestion.ingest(List.of(record("raw/coldchainco/reading.json", r -> {
            r.with("reading").put("celsius", 6.8).put("at", r.path("reading").path("at").asLong() + 3_600_000);
            r.put("wb_received_ms", r.path("wb_received_ms").asLong() + 3_600_000);
        })), Instant.now());

        assertThat(second.outcomes()).containsExactly(RecordOutcome.DEAD_LETTERED);
        assertThat(second.rejections()).containsEntry(RejectionReason.ID_CONFLICT, 1);
        assertThat(ledger.stored).hasSize(1);
        DeadLetter letter = deadLetters.sent.get(0);
        assertThat(letter.reason()).isEqualTo(RejectionReason.ID_CONFLICT);
        assertThat(json(letter.conflict().storedEventJson()).path("data").path("meanCelsius").asDouble()).isEqualTo(4.2);
        assertThat(json(letter.conflict().eventJson()).path("data").path("meanCelsius").asDouble()).isEqualTo(6.8);
        assertThat(json(new String(letter.payload(), StandardCharsets.UTF_8)).path("reading").path("celsius").asDouble())
                .isEqualTo(6.8);
        // The letter survives its wire format with both versions.
        DeadLetter decoded = DeadLetterJson.fromJson(DeadLetterJson.toJson(letter));
        assertThat(json(decoded.conflict().storedEventJson())).isEqualTo(json(letter.conflict().storedEventJson()));
    }

    @Test
    void anIdConflictInsideOneBatchIsDeadLetteredToo() {
        BatchOutcome o = ingestion.ingest(List.of(record("raw/coldchainco/reading.json"),
                record("raw/coldchainco/reading.json", r -> r.with("reading").put("celsius", 9.9))), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.DEAD_LETTERED);
        assertThat(deadLetters.sent).extracting(DeadLetter::reason).containsExactly(RejectionReason.ID_CONFLICT);
    }

    @Test
    void aResendBehindAReusedIdInOneBatchIsADuplicateOfTheStoredReadingNotAConflict() {
        // Found by IngestPromisesPropertiesTest: cc9-000451 (4.2 °C) is stored; a later batch carries the counter-reset
        // reuse (6.8 °C) and then a resend of the stored 4.2 °C reading. Only the reuse conflicts with the store.
        ingestion.ingest(List.of(record("raw/coldchainco/reading.json")), Instant.now());
        RawRecord reuse = record("raw/coldchainco/reading.json", r -> r.with("reading").put("celsius", 6.8));
        RawRecord resend = record("raw/coldchainco/reading.json", receivedLater(Duration.ofDays(2)));

        BatchOutcome o = ingestion.ingest(List.of(reuse, resend), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DEAD_LETTERED, RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(deadLetters.sent).singleElement().satisfies(d -> {
            assertThat(d.origin().sequenceNumber()).isEqualTo(reuse.origin().sequenceNumber());
            assertThat(json(d.conflict().storedEventJson()).path("data").path("meanCelsius").asDouble()).isEqualTo(4.2);
            assertThat(json(d.conflict().eventJson()).path("data").path("meanCelsius").asDouble()).isEqualTo(6.8);
        });
        // The confirmed duplicate repairs as any other: the stored copy (4.2 °C) is what is published.
        assertThat(published).last().satisfies(p -> assertThat(p.event().id()).isEqualTo("cc9-000451"));
        assertThat(((io.waybill.domain.event.TemperatureObserved) published.get(published.size() - 1).event().data())
                .meanCelsius()).isEqualTo(4.2);
    }

    @Test
    void aSecondCopyOfAConflictingReadingInTheSameBatchIsDeadLetteredLikeTheFirst() {
        ingestion.ingest(List.of(record("raw/coldchainco/reading.json")), Instant.now());
        RawRecord reuse = record("raw/coldchainco/reading.json", r -> r.with("reading").put("celsius", 6.8));

        BatchOutcome o = ingestion.ingest(List.of(reuse, reuse), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DEAD_LETTERED, RecordOutcome.DEAD_LETTERED);
        assertThat(deadLetters.sent).extracting(DeadLetter::reason)
                .containsExactly(RejectionReason.ID_CONFLICT, RejectionReason.ID_CONFLICT);
        assertThat(ledger.stored).hasSize(1);
    }

    @Test
    void aResendAfterTheAdapterChangedKeepsItsIdSoTheStoreAbsorbsIt() {
        RawRecord ping = record("raw/gps-tracker/ping.json");
        ingestion.ingest(List.of(ping), Instant.now());
        // Adapter version 2 rounds positions to 3 decimals: another canonical output for the same message.
        VendorAdapter rounding = new VendorAdapter() {
            private final GpsTrackerAdapter v1 = new GpsTrackerAdapter();

            @Override
            public String id() {
                return v1.id();
            }

            @Override
            public AdaptedEvent adapt(VendorPayload payload, String producerId) {
                AdaptedEvent a = v1.adapt(payload, producerId);
                ShipmentLocated d = (ShipmentLocated) a.data();
                GeoPoint p = d.position();
                GeoPoint rounded = new GeoPoint(Math.round(p.latitude() * 1000) / 1000.0, Math.round(p.longitude() * 1000) / 1000.0,
                        p.accuracyMetres());
                return new AdaptedEvent(new ShipmentLocated(d.shipmentSscc(), rounded, d.speedKmh()), a.deviceTime(),
                        a.vendorMessageId(), a.sequence());
            }
        };
        List<VendorAdapter> adapters = new ArrayList<>();
        AdapterRegistry.standard().ids().forEach(id -> adapters.add(id.equals(rounding.id()) ? rounding
                : AdapterRegistry.standard().require(id)));
        BatchIngestion afterDeploy = ingestion(new RecordNormalizer(new AdapterRegistry(adapters),
                NormalizerConfig.defaults(), Clock.systemUTC()), stream);

        BatchOutcome o = afterDeploy.ingest(List.of(record("raw/gps-tracker/ping.json", receivedLater(Duration.ofMinutes(5)))),
                Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(ledger.stored).hasSize(1);
        // What is folded and published is the stored copy (the sample's 51.68301), not the new adapter's 51.683.
        assertThat(published.get(published.size() - 1).event().data()).isInstanceOf(ShipmentLocated.class);
        assertThat(((ShipmentLocated) published.get(published.size() - 1).event().data()).position().latitude())
                .isEqualTo(51.68301);
    }

    @Test
    void anOverLongVendorIdIsHashedIntoABoundedId() throws Exception {
        String longId = "X".repeat(3_000);
        ingestion.ingest(List.of(record("raw/coldchainco/reading.json", r -> r.put("msgId", longId))), Instant.now());

        String expected = "msg-sha256-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(longId.getBytes(StandardCharsets.UTF_8)));
        assertThat(ledger.stored).containsOnlyKeys("urn:waybill:coldchainco:CC-0009#" + expected);
        assertThat(expected).hasSize(75);
    }

    @Test
    void aStoreThatRefusesOneRecordForGoodDeadLettersItAndStoresTheRestOfTheBatch() {
        EventLedger refusing = (event, started) -> {
            if (event.event().id().equals("SL-20261127-000981")) {
                throw new PermanentDependencyException("event store", "ValidationException",
                        "Item size has exceeded the maximum allowed size", null);
            }
            return ledger.append(event, started);
        };
        BatchIngestion withRefusal = new BatchIngestion(RecordNormalizer.standard(), refusing, shipments, deadLetters,
                stream, Clock.systemUTC(), null);

        BatchOutcome o = withRefusal.ingest(List.of(record("raw/gps-tracker/ping.json"), record("raw/swiftlog/departed.json"),
                record("raw/swiftlog/arrived.json")), Instant.now());

        assertThat(o.firstRetryIndex()).isEmpty();
        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.DEAD_LETTERED, RecordOutcome.STORED);
        assertThat(deadLetters.sent).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(RejectionReason.DEPENDENCY_REJECTED);
            assertThat(d.detail()).contains("ValidationException");
            assertThat(d.origin().sequenceNumber()).isEqualTo("1002");
        });
    }

    @Test
    void anAdapterThatThrowsDeadLettersOnlyThatRecordAsAnInternalError() {
        VendorAdapter broken = new VendorAdapter() {
            @Override
            public String id() {
                return "gps-tracker";
            }

            @Override
            public AdaptedEvent adapt(VendorPayload payload, String producerId) {
                throw new ArrayIndexOutOfBoundsException("Index 3 out of bounds for length 3");
            }
        };
        List<VendorAdapter> adapters = new ArrayList<>();
        AdapterRegistry.standard().ids().forEach(id -> adapters.add(id.equals("gps-tracker") ? broken
                : AdapterRegistry.standard().require(id)));
        BatchIngestion withBug = ingestion(new RecordNormalizer(new AdapterRegistry(adapters), NormalizerConfig.defaults(),
                Clock.systemUTC()), stream);

        BatchOutcome o = withBug.ingest(List.of(record("raw/swiftlog/departed.json"), record("raw/gps-tracker/ping.json"),
                record("raw/swiftlog/arrived.json")), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.DEAD_LETTERED, RecordOutcome.STORED);
        assertThat(deadLetters.sent).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(RejectionReason.INTERNAL_ERROR);
            assertThat(d.adapter()).isEqualTo("gps-tracker");
            assertThat(d.detail()).contains("ArrayIndexOutOfBoundsException");
        });
    }

    @Test
    void aDeadLetterQueueThatRefusesALetterHoldsTheBatchInsteadOfLosingTheRecord() {
        DeadLetterSink refusing = letter -> {
            throw new PermanentDependencyException("dead-letter queue", "KMS.AccessDeniedException", "no key", null);
        };
        BatchIngestion withRefusal = new BatchIngestion(RecordNormalizer.standard(), ledger, shipments, refusing,
                stream, Clock.systemUTC(), null);

        BatchOutcome o = withRefusal.ingest(List.of(record("raw/swiftlog/departed.json"),
                record("raw/gps-tracker/ping.json", r -> r.remove("sscc"))), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.RETRY);
        assertThat(o.firstRetryIndex()).hasValue(1);
    }

    @Test
    void everyStoredEventAndEveryConfirmedDuplicateIsPublishedInRecordOrderPartitionedByShipment() {
        List<RawRecord> batch = List.of(record("raw/swiftlog/departed.json"), record("raw/coldchainco/reading.json"),
                record("raw/swiftlog/arrived.json"));
        ingestion.ingest(batch, Instant.now());
        ingestion.ingest(batch, Instant.now()); // a redelivery: confirmed duplicates are published again

        assertThat(published).extracting(p -> p.event().id()).containsExactly(
                "SL-20261127-000981", "cc9-000451", "SL-20261127-001207",
                "SL-20261127-000981", "cc9-000451", "SL-20261127-001207");
        assertThat(published).extracting(p -> CanonicalEventPublisher.partitionKey(p.event())).containsExactly(
                SSCC, "006141410000004515", SSCC, SSCC, "006141410000004515", SSCC);
    }

    @Test
    void aPublishThatFailsPartWayRedeliversFromTheFirstUnpublishedEventsRecordAndTheRedeliveryRepairsIt() {
        List<CanonicalEventPublisher.Publication> onStream = new ArrayList<>();
        int[] allow = {1};
        CanonicalEventPublisher flaky = events -> {
            int n = Math.min(allow[0], events.size());
            onStream.addAll(events.subList(0, n));
            return n;
        };
        BatchIngestion withFlakyStream = ingestion(RecordNormalizer.standard(), flaky);
        List<RawRecord> batch = List.of(record("raw/swiftlog/departed.json"),
                record("raw/gps-tracker/ping.json", r -> r.remove("sscc")), // dead-lettered: nothing to publish
                record("raw/swiftlog/arrived.json"));

        BatchOutcome first = withFlakyStream.ingest(batch, Instant.now());
        assertThat(first.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.DEAD_LETTERED, RecordOutcome.RETRY);
        assertThat(first.firstRetryIndex()).hasValue(2);

        allow[0] = 10;
        BatchOutcome redelivered = withFlakyStream.ingest(batch.subList(2, 3), Instant.now());
        assertThat(redelivered.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(onStream).extracting(p -> p.event().id()).containsExactly("SL-20261127-000981", "SL-20261127-001207");
    }

    private static JsonNode json(String s) {
        try {
            return CanonicalEventJson.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
