package io.waybill.local.cli;

import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.local.devices.DeviceSimulator;
import io.waybill.local.devices.SimulatedDevices;
import io.waybill.local.iot.LocalIotRule;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalRuleRunner;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./waybill simulate} against a stack whose ingest enforces the device registry: every device is registered with
 * a key made at start before it publishes, signs each message with its own sequence, and everything it sends is
 * stored: nothing is dead-lettered, and the registry's accepted sequences are each device's last one (ingest verified
 * every signature and advanced them).
 */
@Timeout(240)
class SimulatedFleetOnEnforcedRegistryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void everyRegisteredSigningDeviceIsStoredAndItsSequenceAdvanced(@TempDir Path dir) throws Exception {
        int gps = 2;
        int pings = 4;
        int rfid = 1;
        int reads = 3;
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("sim-reg"))
                     .shards(2).enforceDeviceRegistry(true).deploy();
             LocalMqttBroker broker = LocalMqttBroker.start(dir.resolve("broker"));
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(stack.clients().kinesis(), pipeline.names().stream())
                     .flushInterval(Duration.ofMillis(50)).start()) {
            DynamoDbDeviceRegistry registry = pipeline.deviceRegistry();
            SimulatedDevices devices = new SimulatedDevices(dir.resolve("keys"), registry);

            SimulateCommand.Report r = new SimulateCommand(dir.resolve("work"), System.out).enrolWith(devices).run(
                    SimulateCommand.target(Map.of("broker", broker.uri().toString()), dir),
                    1, gps, pings, rfid, reads, 0, DeviceSimulator.Rate.asFastAsPossible());

            long sent = r.edgeMessages() + (long) gps * pings + (long) rfid * reads;
            assertThat(rule.awaitProcessed(sent, WAIT)).isTrue();
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            assertThat(pipeline.tally().rejections()).as("nothing refused for its device").isEmpty();
            assertThat(pipeline.deadLetterCount()).isZero();
            assertThat(pipeline.tally().count(RecordOutcome.STORED)).isPositive();

            RegisteredDevice reefer = registry.get("reefer-01").orElseThrow();
            assertThat(reefer.adapter()).isEqualTo("waybill-edge");
            assertThat(reefer.keys()).hasSize(1);
            String reeferKid = reefer.keys().keySet().iterator().next();
            assertThat(reefer.lastSequence()).as("the edge's last message sequence, verified and accepted")
                    .containsExactly(Map.entry(reeferKid, r.edgeMessages() - 1));
            assertThat(reefer.assignments()).singleElement()
                    .satisfies(a -> assertThat(a.sscc()).isEqualTo(SimulateCommand.sscc(1)));
            for (int d = 0; d < gps; d++) {
                RegisteredDevice tracker = registry.get(String.format("IMEI-3569380356%05d", d)).orElseThrow();
                assertThat(tracker.scope()).isEqualTo(DeviceScope.SHIPMENT);
                assertThat(tracker.assignments()).singleElement()
                        .satisfies(a -> assertThat(a.sscc()).isEqualTo(GoldenTraces.SHIPMENT_SSCC));
                assertThat(tracker.lastSequence().values()).containsExactly((long) pings - 1);
            }
            RegisteredDevice portal = registry.get("DOCK-DOOR-1").orElseThrow();
            assertThat(portal.scope()).isEqualTo(DeviceScope.SITE);
            assertThat(portal.lastSequence().values()).containsExactly((long) reads - 1);

            // the edge's private key is the file it read: its public key is the registered one
            Path key = dir.resolve("keys").resolve("reefer-01.pem");
            assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE);
            assertThat(io.waybill.edge.component.SigningKey.load(key).kid()).isEqualTo(reeferKid);
            assertThat(DeviceKeys.keyId(reefer.keys().get(reeferKid))).isEqualTo(reeferKid);
        }
    }
}
