package io.waybill.local.cli;

import io.waybill.domain.identity.Gs1;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.local.devices.DeviceSimulator;
import io.waybill.local.iot.LocalDeviceAuthority;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./waybill simulate}: a fleet over mutual TLS, as devices reach AWS IoT Core. */
@Timeout(180)
class SimulateCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void fleetOverMutualTlsReachesTheBrokerAndTheEdgesReportEveryExcursionAndJam(@TempDir Path dir) throws Exception {
        LocalDeviceAuthority authority = LocalDeviceAuthority.openOrCreate(dir.resolve("iot"));
        try (LocalMqttBroker broker = LocalMqttBroker.startWithMutualTls(dir.resolve("broker"), authority)) {
            Map<String, AtomicLong> byAdapter = new ConcurrentHashMap<>();
            try (LocalMqttClient cloud = LocalMqttClient.connect(broker.host(), broker.port(), "cloud-side",
                    (topic, payload) -> byAdapter.computeIfAbsent(topic.split("/")[3], a -> new AtomicLong())
                            .incrementAndGet(), WAIT)) {
                cloud.subscribe("dt/waybill/local/+/+", WAIT);

                SimulateCommand.Report r = new SimulateCommand(dir.resolve("work"), System.out).run(
                        SimulateCommand.localMutualTls(broker.uri(), broker.mutualTlsPort(), authority),
                        2, 2, 5, 1, 3, 1, DeviceSimulator.Rate.asFastAsPossible());

                long expectedJamAlerts = 2L * GoldenTraces.conveyorShift().expectedJams().size();
                long expectedAlerts = expectedJamAlerts
                        + 2L * (GoldenTraces.reeferTrip(GoldenTraces.DEFAULT_SEED).expectedExcursions().size()
                        + GoldenTraces.reeferTrip(GoldenTraces.DEFAULT_SEED + 1).expectedExcursions().size());
                long sensorMessages = 2L * GoldenTraces.TRIP_READINGS + GoldenTraces.SHIFT_SAMPLES;
                assertThat(r.sensorReadings()).isEqualTo(sensorMessages);
                assertThat(r.edgeReadings()).isEqualTo(sensorMessages);
                assertThat(r.edgeAlerts()).isEqualTo(expectedAlerts);
                assertThat(r.jamAlerts()).isEqualTo(expectedJamAlerts);
                assertThat(r.uplinkRatio()).isGreaterThan(0).isLessThanOrEqualTo(0.02);
                assertThat(r.deviceToEdgeMicros().count()).isEqualTo((int) sensorMessages);
                assertThat(r.readingToAlertAtBrokerMicros().count()).isEqualTo((int) expectedAlerts);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (count(byAdapter, "rfid-portal") < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(count(byAdapter, "gps-tracker")).isEqualTo(10);
                assertThat(count(byAdapter, "rfid-portal")).isEqualTo(3);
                assertThat(count(byAdapter, "waybill-edge")).isEqualTo(r.edgeMessages());
            }
        }
        // every device connected with its own certificate from the authority
        assertThat(authority.devicesFolder().resolve("reefer-01.cert.pem")).exists();
        assertThat(authority.devicesFolder().resolve("reefer-02.cert.pem")).exists();
        assertThat(authority.devicesFolder().resolve("DOCK-DOOR-1.cert.pem")).exists();
        assertThat(authority.devicesFolder().resolve("dc-01.cert.pem")).exists();
        try (var files = Files.list(authority.devicesFolder())) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("IMEI-")
                    && f.getFileName().toString().endsWith(".cert.pem")).count()).isEqualTo(2);
        }
    }

    /** Against a deployed stage (--iot-endpoint ... --stage prod) every device and edge publishes on its topics. */
    @Test
    void stageOptionPutsEveryDeviceAndEdgeOnThatStagesTopics(@TempDir Path dir) throws Exception {
        try (LocalMqttBroker broker = LocalMqttBroker.start(dir.resolve("broker"))) {
            Map<String, AtomicLong> byStage = new ConcurrentHashMap<>();
            try (LocalMqttClient cloud = LocalMqttClient.connect(broker.host(), broker.port(), "cloud-side",
                    (topic, payload) -> byStage.computeIfAbsent(topic.split("/")[2], a -> new AtomicLong())
                            .incrementAndGet(), WAIT)) {
                cloud.subscribe("dt/waybill/#", WAIT);
                SimulateCommand.Report r = new SimulateCommand(dir.resolve("work"), System.out, WAIT, "prod").run(
                        SimulateCommand.target(Map.of("broker", broker.uri().toString()), dir),
                        1, 1, 4, 1, 2, 0, DeviceSimulator.Rate.asFastAsPossible());
                long expected = r.edgeMessages() + 4 + 2; // the edge's messages, 4 GPS pings, 2 RFID reads
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (count(byStage, "prod") < expected && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(r.edgeMessages()).isPositive();
                assertThat(byStage.keySet()).containsExactly("prod");
                assertThat(count(byStage, "prod")).isEqualTo(expected);
            }
        }
        assertThatThrownBy(() -> new SimulateCommand(dir, System.out, WAIT, "Prod_1"))
                .hasMessageContaining("--stage 'Prod_1' must match");
    }

    @Test
    void simulatedReefersShipValidSsccs() {
        for (int i = 1; i <= 50; i++) {
            assertThat(SimulateCommand.sscc(i)).hasSize(18);
            assertThat(Gs1.hasValidCheckDigit(SimulateCommand.sscc(i))).isTrue();
        }
        assertThat(SimulateCommand.sscc(1)).isNotEqualTo(SimulateCommand.sscc(2));
    }

    @Test
    void awsIotCoreNeedsTheThingsCertificates(@TempDir Path dir) {
        assertThatThrownBy(() -> SimulateCommand.target(Map.of("iot-endpoint", "abc-ats.iot.eu-west-1.amazonaws.com"),
                dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--certs");
        assertThatThrownBy(() -> SimulateCommand.target(Map.of(), dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("./waybill stack");
        SimulateCommand.Target t = SimulateCommand.target(Map.of("iot-endpoint", "abc-ats.iot.eu-west-1.amazonaws.com",
                "certs", dir.toString()), dir);
        assertThat(t.port()).isEqualTo(8883);
        assertThat(t.tapBroker()).isNull();
        assertThatThrownBy(() -> t.devices().connect("reefer-01", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reefer-01.cert.pem");
    }

    private static long count(Map<String, AtomicLong> m, String adapter) {
        AtomicLong n = m.get(adapter);
        return n == null ? 0 : n.get();
    }
}
