package io.waybill.domain.ingestion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.domain.device.ProducerVerification;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.testing.InMemoryPorts;
import io.waybill.samples.SampleCatalog;
import io.waybill.schemas.EventContract;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch semantics of the device registry checks: they run before any write, a registry outage redelivers the whole
 * batch, rejections are dead letters with their reason, and only what is stored advances the signing sequences.
 * Messages are the ColdChainCo sample reading (thing CC-0009, shipment 006141410000004515) with their own message ids.
 */
class DeviceCheckedIngestionTest {
    private static final String THING = "CC-0009";
    private static final String SSCC = "006141410000004515";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair key = DeviceKeys.generate();
    private final String kid = DeviceKeys.keyId((ECPublicKey) key.getPublic());
    private final InMemoryPorts.Ledger ledger = new InMemoryPorts.Ledger();
    private final InMemoryPorts.Shipments shipments = new InMemoryPorts.Shipments();
    private final InMemoryPorts.DeadLetters deadLetters = new InMemoryPorts.DeadLetters();
    private final InMemoryPorts.CanonicalStream canonical = new InMemoryPorts.CanonicalStream();
    private final InMemoryPorts.Devices registry = new InMemoryPorts.Devices();
    private int position;

    DeviceCheckedIngestionTest() {
        registry.put(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(kid, (ECPublicKey) key.getPublic()),
                List.of(new ShipmentAssignment(SSCC, Instant.parse("2026-11-01T00:00:00Z"), null)), Map.of(),
                Instant.parse("2026-11-01T00:00:00Z")));
    }

    private BatchIngestion ingestion(ProducerVerification.UnassignedPolicy policy) {
        return new BatchIngestion(RecordNormalizer.standard(), ledger, shipments, deadLetters, canonical,
                Clock.systemUTC(), null, LegacyIdWindow.NONE, new ProducerVerification(registry, 65_536, policy));
    }

    private final BatchIngestion ingestion = ingestion(ProducerVerification.UnassignedPolicy.REJECT);

    /** The sample reading as message {@code msgId} with {@code celsius}, signed with {@code seq}, routed as the rule does. */
    private RawRecord reading(String msgId, double celsius, Long seq) {
        ObjectNode m = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json").deepCopy();
        JsonNode route = m.remove("wb_route");
        JsonNode received = m.remove("wb_received_ms");
        m.put("msgId", msgId);
        ((ObjectNode) m.get("reading")).put("celsius", celsius);
        try {
            ObjectNode payload = seq == null ? m
                    : (ObjectNode) JSON.readTree(PayloadSignature.sign(JSON.writeValueAsBytes(m), key.getPrivate(), kid, seq));
            payload.set("wb_route", route);
            payload.set("wb_received_ms", received);
            position++;
            return new RawRecord(JSON.writeValueAsBytes(payload), new RecordOrigin("arn:aws:kinesis:eu-west-1:123456789012:stream/waybill-telemetry",
                    "shardId-000000000000", String.valueOf(1000 + position), THING), Instant.parse("2026-11-27T08:00:01Z"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void registryOutageRedeliversTheWholeBatchWithNothingWritten() {
        List<RawRecord> batch = List.of(reading("m-1", 4.1, 1L), reading("m-2", 4.2, 2L),
                record(SampleCatalog.bytes("malformed/wrong-check-digit.json")));
        registry.unavailable = true;

        BatchOutcome outcome = ingestion.ingest(batch, Instant.now());

        assertThat(outcome.outcomes()).containsOnly(RecordOutcome.RETRY);
        assertThat(outcome.firstRetryIndex()).hasValue(0);
        assertThat(outcome.failure()).contains("device registry");
        assertThat(ledger.writeRequests).isZero();
        assertThat(deadLetters.sent).as("not even the malformed record's letter").isEmpty();
        assertThat(shipments.saves).isZero();
        assertThat(canonical.published).isEmpty();
        assertThat(registry.advances).isEmpty();

        registry.unavailable = false;
        BatchOutcome again = ingestion.ingest(batch, Instant.now());
        assertThat(again.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.STORED, RecordOutcome.DEAD_LETTERED);
        assertThat(registry.devices.get(THING).lastSequence()).containsExactly(Map.entry(kid, 2L));
    }

    private RawRecord record(byte[] payload) {
        position++;
        return new RawRecord(payload, new RecordOrigin("s", "shardId-000000000000", String.valueOf(1000 + position), "pk"), null);
    }

    private static RawRecord arrivedAt(RawRecord r, String at) {
        return new RawRecord(r.payload(), r.origin(), Instant.parse(at));
    }

    @Test
    void aDeviceIsLastSeenAtTheNewestArrivalOfItsStoredRecords() {
        RawRecord first = arrivedAt(reading("m-1", 4.1, 5L), "2026-11-27T08:00:01Z");
        RawRecord second = arrivedAt(reading("m-2", 4.2, 6L), "2026-11-27T08:00:03Z");
        RawRecord unsignedOne = arrivedAt(reading("m-3", 4.3, null), "2026-11-27T08:00:09Z"); // dead-lettered
        RawRecord retried = arrivedAt(reading("m-4", 4.4, 12L), "2026-11-27T08:00:07Z");     // redelivered
        ledger.failOnceFor.add("urn:waybill:coldchainco:CC-0009#m-4");

        ingestion.ingest(List.of(first, second, unsignedOne, retried), Instant.now());

        // stored: m-1 (08:00:01) and m-2 (08:00:03); m-3 refused and m-4 not processed yet do not count
        assertThat(registry.seen).containsExactly(Map.entry(THING, Instant.parse("2026-11-27T08:00:03Z")));
    }

    @Test
    void onlyStoredOrDuplicateRecordsAdvanceTheirSequence() {
        RawRecord stored = reading("m-1", 4.1, 5L);
        RawRecord conflict = reading("m-1", 9.9, 9L);      // same message id, other content: ID_CONFLICT
        RawRecord unsignedOne = reading("m-3", 4.3, null); // UNSIGNED
        RawRecord retried = reading("m-4", 4.4, 12L);      // its append fails transiently: redelivered
        ledger.failOnceFor.add("urn:waybill:coldchainco:CC-0009#m-4");

        BatchOutcome outcome = ingestion.ingest(List.of(stored, conflict, unsignedOne, retried), Instant.now());

        assertThat(outcome.outcomes()).containsExactly(RecordOutcome.STORED, RecordOutcome.DEAD_LETTERED,
                RecordOutcome.DEAD_LETTERED, RecordOutcome.RETRY);
        assertThat(outcome.rejections()).containsExactly(Map.entry(RejectionReason.UNSIGNED, 1),
                Map.entry(RejectionReason.ID_CONFLICT, 1));
        assertThat(registry.advances).containsExactly(Map.of(THING, Map.of(kid, 5L)));

        // A resend of m-1 signed again with a newer sequence is the same message: a duplicate that advances to 7.
        BatchOutcome resend = ingestion.ingest(List.of(reading("m-1", 4.1, 7L)), Instant.now());
        assertThat(resend.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(registry.devices.get(THING).lastSequence()).containsExactly(Map.entry(kid, 7L));
    }

    @Test
    void rejectedRecordsAreDeadLetteredWithTheirReasonBeforeAnyWrite() {
        RawRecord forged = reading("m-1", 4.1, 1L);
        ObjectNode tampered;
        try {
            tampered = (ObjectNode) JSON.readTree(forged.payload());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ((ObjectNode) tampered.get("reading")).put("celsius", 2.1);
        RawRecord altered = new RawRecord(tampered.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                forged.origin(), forged.streamArrival());

        BatchOutcome outcome = ingestion.ingest(List.of(altered), Instant.now());

        assertThat(outcome.outcomes()).containsExactly(RecordOutcome.DEAD_LETTERED);
        assertThat(outcome.rejections()).containsExactly(Map.entry(RejectionReason.BAD_SIGNATURE, 1));
        assertThat(ledger.writeRequests).isZero();
        DeadLetter letter = deadLetters.sent.get(0);
        assertThat(letter.reason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
        assertThat(letter.payload()).isEqualTo(altered.payload());
        assertThat(letter.adapter()).isEqualTo("coldchainco");
        assertThat(letter.detail()).contains(THING);
        assertThat(registry.advances).isEmpty();
    }

    @Test
    void redeliveredSignedBatchEndsInTheSameState() {
        List<RawRecord> batch = List.of(reading("m-1", 4.1, 1L), reading("m-2", 4.2, 2L), reading("m-3", 4.3, 3L));
        ingestion.ingest(batch, Instant.now());
        Map<String, ?> storedAfterFirst = Map.copyOf(ledger.stored);

        for (int i = 0; i < 3; i++) {
            BatchOutcome again = ingestion.ingest(batch, Instant.now());
            assertThat(again.outcomes()).containsOnly(RecordOutcome.DUPLICATE_IN_STORE);
            assertThat(again.rejections()).isEmpty();
        }
        assertThat(ledger.stored).isEqualTo(storedAfterFirst);
        assertThat(deadLetters.sent).as("no REPLAYED letters").isEmpty();
        assertThat(registry.devices.get(THING).lastSequence()).containsExactly(Map.entry(kid, 3L));
    }

    @Test
    void sequenceAdvanceFailureIsCountedAndNeverFailsTheBatch() {
        registry.advanceFails = true;

        BatchOutcome outcome = ingestion.ingest(List.of(reading("m-1", 4.1, 1L)), Instant.now());

        assertThat(outcome.outcomes()).containsExactly(RecordOutcome.STORED);
        assertThat(outcome.firstRetryIndex()).isEmpty();
        assertThat(outcome.devices().sequenceAdvanceFailures()).isEqualTo(1);
        assertThat(outcome.devices().sequenceAdvanceFailure()).contains("throttled");
    }

    @Test
    void flagPolicyStoresTheUnassignedEventFlaggedAndValidAgainstTheEnvelopeSchema() throws Exception {
        RegisteredDevice d = registry.devices.get(THING);
        registry.put(new RegisteredDevice(THING, d.adapter(), d.status(), d.scope(), d.keys(), List.of(), Map.of(),
                d.registeredAt()));
        BatchIngestion flagging = ingestion(ProducerVerification.UnassignedPolicy.FLAG);

        BatchOutcome outcome = flagging.ingest(List.of(reading("m-1", 4.1, 1L)), Instant.now());

        assertThat(outcome.outcomes()).containsExactly(RecordOutcome.STORED);
        assertThat(outcome.devices().unassignedFlagged()).isEqualTo(1);
        String json = ledger.stored.values().iterator().next().json();
        assertThat(json).contains("\"unassigned\":true");
        assertThat(canonical.published.get(0).json()).isEqualTo(json);
        assertThat(EventContract.instance().violations(json)).isEmpty();
        assertThat(io.waybill.domain.event.CanonicalEventJson.fromJson(JSON.readTree(json)).unassigned())
                .as("read back from the store").isTrue();
        // A redelivery is a duplicate of the flagged copy; the stored copy (flag included) is what is published again.
        flagging.ingest(List.of(reading("m-1", 4.1, 1L)), Instant.now());
        assertThat(canonical.published.get(1).json()).isEqualTo(json);

        // The same event under the reject policy is dead-lettered UNASSIGNED.
        BatchOutcome rejected = ingestion.ingest(List.of(reading("m-2", 4.2, 2L)), Instant.now());
        assertThat(rejected.rejections()).containsExactly(Map.entry(RejectionReason.UNASSIGNED, 1));
    }
}
