package io.waybill.anchor;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorIntake;
import io.waybill.domain.provenance.AnchorLedger;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EventProofs;
import io.waybill.domain.provenance.ProvenanceSelection;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream handler queues selected events once, skips telemetry and unreadable records, and on a ledger failure
 * answers with the failed record's sequence number as the partial batch failure (so it and every later record are
 * redelivered). Fixtures are the schema module's valid examples.
 */
class AnchorIntakeHandlerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-14T13:00:00Z"), ZoneOffset.UTC);

    @SuppressWarnings("unchecked")
    private static <T> T unused(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (p, m, a) -> {
            throw new AssertionError("the intake does not call " + m.getName());
        });
    }

    /** Only enqueue is used by the intake; {@code failOn} makes one event id's put fail as throttled. */
    private static AnchorLedger ledger(Set<String> queued, String failOn) {
        return (AnchorLedger) Proxy.newProxyInstance(AnchorLedger.class.getClassLoader(),
                new Class<?>[]{AnchorLedger.class}, (p, m, a) -> {
                    if (!m.getName().equals("enqueue")) {
                        throw new AssertionError("the intake does not call " + m.getName());
                    }
                    AnchorCandidate c = (AnchorCandidate) a[0];
                    if (c.eventId().equals(failOn)) {
                        throw new TransientDependencyException("anchor ledger", "throttled", null);
                    }
                    return queued.add(c.eventId());
                });
    }

    private static AnchorFunction function(AnchorLedger ledger) {
        AnchorTelemetry telemetry = new AnchorTelemetry(null);
        AnchorSettings settings = AnchorSettings.fromEnvironment(Map.of("WAYBILL_ANCHOR_LEDGER_TABLE", "l",
                "WAYBILL_PROOFS_TABLE", "p", "WAYBILL_ANCHOR_KMS_KEY_ID", "k",
                "WAYBILL_CHAIN_RPC_URL", "http://127.0.0.1:8545", "WAYBILL_CHAIN_ID", "31337",
                "WAYBILL_ANCHOR_REGISTRY", "0x5fbdb2315678afecb367f032d93f642f64180aa3"));
        AnchorRun run = new AnchorRun(ledger, unused(AnchorChain.class), unused(DigestSigner.class),
                unused(EventProofs.class), settings.batchPolicy(), settings.run(), CLOCK, telemetry);
        return new AnchorFunction(settings, new AnchorIntake(ProvenanceSelection.defaults(), ledger, CLOCK, telemetry),
                run, telemetry, ledger, unused(EventProofs.class), CLOCK);
    }

    private static KinesisEvent.KinesisEventRecord record(String sequence, String json) {
        KinesisEvent.Record k = new KinesisEvent.Record();
        k.setSequenceNumber(sequence);
        k.setData(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        k.setPartitionKey("p");
        KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
        r.setKinesis(k);
        r.setEventID("shardId-000000000000:" + sequence);
        return r;
    }

    private static String valid(String name) throws Exception {
        return Files.readString(Path.of("../../schemas/src/test/resources/valid/" + name + ".json"));
    }

    private static KinesisEvent batch() throws Exception {
        String custody = valid("waybill.custody.transferred.v1");
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        records.add(record("1", custody));
        records.add(record("2", valid("waybill.temperature.observed.v1")));
        records.add(record("3", "{not json"));
        records.add(record("4", custody)); // a redelivery inside the batch
        records.add(record("5", custody.replace("pod-20250314-000981", "pod-20250314-000982")));
        records.add(record("6", custody.replace("pod-20250314-000981", "pod-20250314-000983")));
        KinesisEvent event = new KinesisEvent();
        event.setRecords(records);
        return event;
    }

    @Test
    void selectedEventsAreQueuedOnceAndTheRestSkipped() throws Exception {
        Set<String> queued = new HashSet<>();
        StreamsEventResponse r = new AnchorIntakeHandler(function(ledger(queued, null))).handleRequest(batch(), null);
        assertThat(r.getBatchItemFailures()).isEmpty();
        assertThat(queued).containsExactlyInAnyOrder("pod-20250314-000981", "pod-20250314-000982",
                "pod-20250314-000983");
    }

    @Test
    void aLedgerFailureRedeliversFromTheFailedRecord() throws Exception {
        Set<String> queued = new HashSet<>();
        StreamsEventResponse r = new AnchorIntakeHandler(function(ledger(queued, "pod-20250314-000982")))
                .handleRequest(batch(), null);
        assertThat(r.getBatchItemFailures()).singleElement()
                .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo("5"));
        assertThat(queued).containsExactly("pod-20250314-000981");
    }
}
