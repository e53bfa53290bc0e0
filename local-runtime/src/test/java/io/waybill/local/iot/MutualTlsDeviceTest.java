package io.waybill.local.iot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Devices authenticate with X.509 certificates over mutual TLS, built with the AWS IoT Device SDK's
 * {@code AwsIotMqtt5ClientBuilder} as against AWS IoT Core, here against the local broker's mutual-TLS listener.
 */
@Timeout(120)
class MutualTlsDeviceTest {
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
    void deviceWithACertificateFromTheAuthorityPublishesOverMutualTls() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        try (LocalMqttClient subscriber = LocalMqttClient.connect(broker.host(), broker.port(), "tap-mtls",
                (topic, payload) -> received.complete(topic + " " + new String(payload, StandardCharsets.UTF_8)), WAIT)) {
            subscriber.subscribe("dt/waybill/local/gps-tracker/#", WAIT);
            DeviceCertificate cert = authority.deviceCertificate("IMEI-356938035643809");
            try (LocalMqttClient device = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                    "IMEI-356938035643809", cert, authority.certificateAuthorityPem(), null, WAIT)) {
                device.publishAndWait("dt/waybill/local/gps-tracker/IMEI-356938035643809", "{\"evt\":\"PING\"}"
                        .getBytes(StandardCharsets.UTF_8), WAIT);
            }
            assertThat(received.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo("dt/waybill/local/gps-tracker/IMEI-356938035643809 {\"evt\":\"PING\"}");
        }
    }

    @Test
    void deviceWhoseCertificateTheBrokerDoesNotKnowIsRefused() {
        DeviceCertificate stranger = LocalDeviceAuthority.fromUnknownAuthority(dir, "IMEI-000000000000000");

        assertThatThrownBy(() -> LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                "IMEI-000000000000000", stranger, authority.certificateAuthorityPem(), null, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not connected within");
    }

    @Test
    void deviceCredentialsAreIssuedOnceInTheConnectKitLayoutWithTheKeyReadableByItsOwnerOnly() throws Exception {
        DeviceCertificate first = authority.deviceCertificate("reefer-11");
        DeviceCertificate again = authority.deviceCertificate("reefer-11");

        assertThat(again).isEqualTo(first);
        assertThat(first.certificatePem().getFileName()).hasToString("reefer-11.cert.pem");
        assertThat(first.privateKeyPem().getFileName()).hasToString("reefer-11.private.key");
        assertThat(Files.readString(first.privateKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(first.privateKeyPem()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(DeviceCertificate.inFolder(authority.devicesFolder(), "reefer-11")).isEqualTo(first);
        assertThatThrownBy(() -> DeviceCertificate.inFolder(authority.devicesFolder(), "reefer-99"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reefer-99.cert.pem");
    }
}
