package io.waybill.local.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replaying identity rejections on the emulators, through the ingest handler Lambda runs with the device registry
 * enforced: the ColdChainCo logger CC-0009 (registered with a key, scope SHIPMENT) sends its signed reading about
 * shipment 006141410000004515. Unassigned, the reading is dead-lettered UNASSIGNED; once an operator assigns the
 * device, a default replay re-drives it and ingest (whose registry cache still holds the unassigned device) stores
 * it. A forged signature is dead-lettered BAD_SIGNATURE; a default replay leaves it in the queue, and naming the
 * reason re-drives it, to be dead-lettered again for the same reason with nothing stored.
 */
@Timeout(180)
class IdentityReplayTest extends ReplayStackTestBase {
    private static final String THING = "CC-0009";
    private static final String SSCC = "006141410000004515";
    private static final Instant REGISTERED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger PIPELINES = new AtomicInteger();

    private final KeyPair key = DeviceKeys.generate();
    private final String kid = DeviceKeys.keyId((ECPublicKey) key.getPublic());
    private LocalPipeline pipeline;

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private LocalPipeline deployWithDeviceRegistered() {
        pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("idrp" + PIPELINES.incrementAndGet() + "x"
                        + Long.toHexString(System.nanoTime())))
                .shards(1).enforceDeviceRegistry(true).deploy();
        // Registered with its key, assigned to no shipment yet.
        pipeline.deviceRegistry().register(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE,
                DeviceScope.SHIPMENT, Map.of(kid, (ECPublicKey) key.getPublic()), List.of(), Map.of(), REGISTERED),
                false);
        return pipeline;
    }

    /** The sample reading as message {@code msgId}, signed by {@code signer} under this device's key id. */
    private byte[] signedReading(String msgId, long seq, KeyPair signer) throws Exception {
        ObjectNode m = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json").deepCopy();
        JsonNode route = m.remove("wb_route");
        JsonNode received = m.remove("wb_received_ms");
        m.put("msgId", msgId);
        ObjectNode payload = (ObjectNode) JSON.readTree(PayloadSignature.sign(JSON.writeValueAsBytes(m),
                signer.getPrivate(), kid, seq));
        payload.set("wb_route", route);
        payload.set("wb_received_ms", received);
        return JSON.writeValueAsBytes(payload);
    }

    private List<RejectionReason> lettersInQueue() {
        return bodies(pipeline.deadLetterQueueUrl()).stream().map(b -> DeadLetterJson.fromJson(b).reason()).toList();
    }

    private DeadLetterReplay.Result replay(DeadLetterReplay.Selection selection) {
        return new DeadLetterReplay(sqs, kinesis, RecordNormalizer.standard())
                .replay(pipeline.deadLetterQueueUrl(), pipeline.names().stream(), selection, false);
    }

    @Test
    void anUnassignedReadingIsStoredByTheDefaultReplayOnceTheDeviceIsAssigned() throws Exception {
        deployWithDeviceRegistered();
        pipeline.publish(List.of(signedReading("m-1", 7, key)), List.of(THING));
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();
        assertThat(pipeline.tally().rejections()).containsOnly(Map.entry(RejectionReason.UNASSIGNED, 1L));
        assertThat(lettersInQueue()).containsExactly(RejectionReason.UNASSIGNED);
        assertThat(pipeline.storedEvents()).isEmpty();

        // The operator's fix; ingest's cache (60 s) still holds the device without this assignment.
        pipeline.deviceRegistry().assign(THING, new ShipmentAssignment(SSCC, REGISTERED, null));
        DeadLetterReplay.Result result = replay(DeadLetterReplay.Selection.passingNow());
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        assertThat(result.replayedByReason()).containsExactly(Map.entry(RejectionReason.UNASSIGNED, 1));
        assertThat(result.notSelected()).isEmpty();
        assertThat(pipeline.tally().count(RecordOutcome.STORED)).isEqualTo(1);
        assertThat(pipeline.tally().rejections()).as("no second rejection")
                .containsOnly(Map.entry(RejectionReason.UNASSIGNED, 1L));
        assertThat(pipeline.storedEvents()).hasSize(1);
        assertThat(lettersInQueue()).isEmpty();
        assertThat(pipeline.deviceRegistry().get(THING).orElseThrow().lastSequence())
                .as("the stored signed reading advanced its sequence").containsExactly(Map.entry(kid, 7L));
    }

    @Test
    void aForgedReadingStaysAfterADefaultReplayAndIsDeadLetteredAgainWhenNamed() throws Exception {
        deployWithDeviceRegistered();
        pipeline.deviceRegistry().assign(THING, new ShipmentAssignment(SSCC, REGISTERED, null));
        // Signed by another key under the device's key id: forged.
        pipeline.publish(List.of(signedReading("m-1", 7, DeviceKeys.generate())), List.of(THING));
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();
        assertThat(pipeline.tally().rejections()).containsOnly(Map.entry(RejectionReason.BAD_SIGNATURE, 1L));
        int onStream = recordsIn(pipeline.names().stream()).size();

        DeadLetterReplay.Result byDefault = replay(DeadLetterReplay.Selection.passingNow());
        DeadLetterReplay.Result forced = replay(new DeadLetterReplay.Selection(Set.of(), true));
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();
        for (DeadLetterReplay.Result kept : List.of(byDefault, forced)) {
            assertThat(kept.replayed()).isZero();
            assertThat(kept.notSelected()).containsExactly(Map.entry(RejectionReason.BAD_SIGNATURE, 1));
        }
        assertThat(recordsIn(pipeline.names().stream())).as("nothing re-driven").hasSize(onStream);
        assertThat(lettersInQueue()).containsExactly(RejectionReason.BAD_SIGNATURE);

        DeadLetterReplay.Result named = replay(new DeadLetterReplay.Selection(Set.of(RejectionReason.BAD_SIGNATURE),
                false));
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        assertThat(named.replayedByReason()).containsExactly(Map.entry(RejectionReason.BAD_SIGNATURE, 1));
        assertThat(recordsIn(pipeline.names().stream())).hasSize(onStream + 1);
        assertThat(pipeline.tally().rejections()).as("rejected again, for the same reason")
                .containsOnly(Map.entry(RejectionReason.BAD_SIGNATURE, 2L));
        assertThat(pipeline.tally().count(RecordOutcome.STORED)).isZero();
        assertThat(pipeline.storedEvents()).isEmpty();
        assertThat(lettersInQueue()).containsExactly(RejectionReason.BAD_SIGNATURE);
    }
}
