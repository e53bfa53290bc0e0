package io.waybill.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.model.Message;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device identity on the emulators, through the ingest handler Lambda runs and the real {@link DynamoDbDeviceRegistry}:
 * the ColdChainCo logger CC-0009 is registered with a key and assigned to shipment 006141410000004515; its signed
 * reading is stored and advances its sequence in the table; an unsigned, a forged, an unregistered device's and a
 * replayed message are dead-lettered with their reasons. Without {@link LocalPipeline.Builder#enforceDeviceRegistry}
 * the same unregistered device is stored (older tests rely on it).
 */
@Timeout(180)
class DeviceRegistryPipelineTest {
    private static final String THING = "CC-0009";
    private static final String SSCC = "006141410000004515";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger PIPELINES = new AtomicInteger();
    private static LocalAwsStack stack;

    private final KeyPair key = DeviceKeys.generate();
    private final String kid = DeviceKeys.keyId((ECPublicKey) key.getPublic());

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static LocalPipeline deploy(boolean enforce) {
        return LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("devices" + PIPELINES.incrementAndGet() + "x"
                        + Long.toHexString(System.nanoTime())))
                .shards(1).enforceDeviceRegistry(enforce).deploy();
    }

    /** The sample reading as message {@code msgId}, signed with {@code seq} (null: unsigned), routed as the rule does. */
    private byte[] reading(String msgId, Long seq, KeyPair signer) throws Exception {
        ObjectNode m = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json").deepCopy();
        JsonNode route = m.remove("wb_route");
        JsonNode received = m.remove("wb_received_ms");
        m.put("msgId", msgId);
        ObjectNode payload = seq == null ? m
                : (ObjectNode) JSON.readTree(PayloadSignature.sign(JSON.writeValueAsBytes(m), signer.getPrivate(), kid, seq));
        payload.set("wb_route", route);
        payload.set("wb_received_ms", received);
        return JSON.writeValueAsBytes(payload);
    }

    private void register(LocalPipeline pipeline) {
        pipeline.deviceRegistry().register(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE,
                DeviceScope.SHIPMENT, Map.of(kid, (ECPublicKey) key.getPublic()),
                List.of(new ShipmentAssignment(SSCC, Instant.parse("2026-11-01T00:00:00Z"), null)), Map.of(),
                Instant.parse("2026-11-01T00:00:00Z")), false);
    }

    private static List<String> reasons(LocalPipeline pipeline) {
        return pipeline.drainDeadLetters(true).stream()
                .map(Message::messageAttributes).map(a -> a.get("reason").stringValue()).sorted().toList();
    }

    @Test
    void signedReadingIsStoredAndEachAttackIsDeadLetteredWithItsReason() throws Exception {
        try (LocalPipeline pipeline = deploy(true)) {
            register(pipeline);
            pipeline.publish(List.of(reading("m-1", 100_000L, key)), List.of(THING));
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            assertThat(pipeline.tally().count(RecordOutcome.STORED)).isEqualTo(1);
            assertThat(pipeline.deviceRegistry().get(THING).orElseThrow().lastSequence())
                    .containsExactly(Map.entry(kid, 100_000L));

            pipeline.publish(List.of(
                    reading("m-2", null, key),                     // unsigned
                    reading("m-3", 100_001L, DeviceKeys.generate()), // signed by another key under its kid: forged
                    reading("m-1", 100_000L - 65_536L, key),        // a captured old sequence: replayed
                    SampleCatalog.bytes("raw/frostbyte/reading-kelvin.json")), // nobody registered FB-77
                    List.of(THING, THING, THING, "FB-77"));
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();

            assertThat(pipeline.tally().count(RecordOutcome.STORED)).as("0 accepted").isEqualTo(1);
            assertThat(pipeline.tally().rejections()).containsOnly(Map.entry(RejectionReason.UNSIGNED, 1L),
                    Map.entry(RejectionReason.BAD_SIGNATURE, 1L), Map.entry(RejectionReason.REPLAYED, 1L),
                    Map.entry(RejectionReason.UNREGISTERED_DEVICE, 1L));
            assertThat(reasons(pipeline)).containsExactly("BAD_SIGNATURE", "REPLAYED", "UNREGISTERED_DEVICE", "UNSIGNED");

            // A resend of m-1 inside the window is absorbed as a duplicate, not dead-lettered.
            pipeline.publish(List.of(reading("m-1", 100_000L - 65_535L, key)), List.of(THING));
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            assertThat(pipeline.tally().count(RecordOutcome.DUPLICATE_IN_STORE)).isEqualTo(1);
            assertThat(pipeline.storedEvents()).hasSize(1);
        }
    }

    @Test
    void withoutEnforcementAnUnregisteredDeviceIsStored() {
        try (LocalPipeline pipeline = deploy(false)) {
            assertThat(pipeline.enforcesDeviceRegistry()).isFalse();
            pipeline.publish(List.of(SampleCatalog.bytes("raw/frostbyte/reading-kelvin.json")), List.of("FB-77"));
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            assertThat(pipeline.tally().count(RecordOutcome.STORED)).isEqualTo(1);
            assertThat(pipeline.deviceRegistry().list()).isEmpty();
        }
    }
}
