package io.waybill.local.iot;

import io.waybill.local.testing.RecordingKinesis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A revoked certificate cannot publish on the local broker (what {@code UpdateCertificate REVOKED} does on AWS IoT
 * Core): a device connected over mutual TLS with the real HiveMQ broker and the IoT rule runner behind it gets through
 * before, and after the revocation, made by another authority instance on the same folder (as the CLI does next to a
 * running stack), it is disconnected, cannot connect again, and nothing more reaches the rule.
 */
@Timeout(120)
class RevokedCertificateTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    static Path dir;
    private static LocalDeviceAuthority authority;
    private static LocalMqttBroker broker;

    @BeforeAll
    static void start() {
        authority = LocalDeviceAuthority.openOrCreate(dir.resolve("iot"));
        broker = LocalMqttBroker.startWithMutualTls(dir.resolve("broker"), authority);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void revokedCertificateIsDisconnectedRefusedAtConnectAndNothingMoreReachesTheRule() throws Exception {
        String thing = "reefer-revoked-1";
        String topic = "dt/waybill/local/waybill-edge/" + thing;
        DeviceCertificate cert = authority.deviceCertificate(thing, "waybill-edge");
        DeviceCertificate other = authority.deviceCertificate("reefer-kept-1", "waybill-edge");
        RecordingKinesis kinesis = new RecordingKinesis((data, attempt) -> false);
        try (LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                .kinesis(kinesis, "waybill-telemetry").flushInterval(Duration.ofMillis(50)).start()) {
            LocalMqttClient device = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(), thing,
                    cert, authority.certificateAuthorityPem(), null, WAIT);
            try {
                device.publishAndWait(topic, "{\"seq\":1}".getBytes(StandardCharsets.UTF_8), WAIT);
                assertThat(rule.awaitProcessed(1, WAIT)).as("before the revocation it reaches the rule").isTrue();
                assertThat(rule.stats().messagesReceived()).isEqualTo(1);

                // revoked by another process' view of the same authority folder (the devices CLI)
                String revoked = LocalDeviceAuthority.openOrCreate(dir.resolve("iot")).revoke(thing).orElseThrow();

                assertThat(revoked).isEqualTo(serialHex(cert.certificatePem()));
                assertThat(await(() -> !device.isConnected())).as("the connected client is disconnected").isTrue();
                CompletableFuture<software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket> late =
                        device.publish(topic, "{\"seq\":2}".getBytes(StandardCharsets.UTF_8));
                Thread.sleep(1_500);
                boolean acceptedAck = late.isDone() && !late.isCompletedExceptionally()
                        && late.join() != null && late.join().getReasonCode().getValue() < 0x80;
                assertThat(acceptedAck).as("no successful PUBACK after the revocation").isFalse();
            } finally {
                device.close();
            }
            assertThatThrownBy(() -> LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(), thing,
                    cert, authority.certificateAuthorityPem(), null, Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not connected within");

            // another thing's certificate is not affected
            try (LocalMqttClient kept = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                    "reefer-kept-1", other, authority.certificateAuthorityPem(), null, WAIT)) {
                kept.publishAndWait("dt/waybill/local/waybill-edge/reefer-kept-1",
                        "{\"seq\":1}".getBytes(StandardCharsets.UTF_8), WAIT);
            }
            assertThat(rule.awaitProcessed(2, WAIT)).isTrue();
            Thread.sleep(300);
            assertThat(rule.stats().messagesReceived()).as("only the message before the revocation and the other "
                    + "thing's reached the rule").isEqualTo(2);
        }
        assertThat(kinesis.accepted).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .noneMatch(s -> s.contains("\"seq\":2"));
        assertThat(authority.isRevoked(read(cert.certificatePem()))).isTrue();
        assertThat(authority.isRevoked(read(other.certificatePem()))).isFalse();
        assertThat(authority.revoke("reefer-never-issued")).isEmpty();
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The serial as the JDK's own certificate parser reads it (not the authority's Bouncy Castle reader). */
    private static String serialHex(Path pem) throws Exception {
        return read(pem).getSerialNumber().toString(16);
    }

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
