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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private static final byte[] PING = "{\"evt\":\"PING\"}".getBytes(StandardCharsets.UTF_8);
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
            DeviceCertificate cert = authority.deviceCertificate("IMEI-356938035643809", "gps-tracker");
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
    void thingRegisteredWithOneAdapterCannotPublishOnAnotherAdaptersTopic() throws Exception {
        // A cheap GPS tracker posing as the edge gateway, or as the 3PL partner: refused at the broker.
        DeviceCertificate cert = authority.deviceCertificate("IMEI-356938035640001", "gps-tracker");
        List<String> received = new CopyOnWriteArrayList<>();
        try (LocalMqttClient subscriber = LocalMqttClient.connect(broker.host(), broker.port(), "tap-adapters",
                (topic, payload) -> received.add(topic), WAIT)) {
            subscriber.subscribe("dt/waybill/#", WAIT);
            for (String topic : List.of("dt/waybill/local/waybill-edge/IMEI-356938035640001",
                    "dt/waybill/local/swiftlog/IMEI-356938035640001",
                    "dt/waybill/prod/gps-tracker/IMEI-356938035640001",
                    "dt/waybill/local/gps-tracker/IMEI-356938035649999")) {
                try (LocalMqttClient device = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                        "IMEI-356938035640001", cert, authority.certificateAuthorityPem(), null, WAIT)) {
                    assertThatThrownBy(() -> device.publishAndWait(topic, PING, WAIT)).as(topic)
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("NOT_AUTHORIZED");
                }
            }
            try (LocalMqttClient device = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                    "IMEI-356938035640001", cert, authority.certificateAuthorityPem(), null, WAIT)) {
                device.publishAndWait("dt/waybill/local/gps-tracker/IMEI-356938035640001", PING, WAIT);
            }
            awaitReceived(received, 1);
            Thread.sleep(200); // a refused message would have arrived before the allowed one; give stragglers a moment
            assertThat(received).as("only the thing's own adapter topic got through")
                    .containsExactly("dt/waybill/local/gps-tracker/IMEI-356938035640001");
        }
    }

    @Test
    void thingWithoutAnAdapterAttributeCannotPublishAnywhere() throws Exception {
        DeviceCertificate cert = authority.deviceCertificate("reefer-77");
        try (LocalMqttClient device = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                "reefer-77", cert, authority.certificateAuthorityPem(), null, WAIT)) {
            assertThatThrownBy(() -> device.publishAndWait("dt/waybill/local/waybill-edge/reefer-77", PING, WAIT))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("NOT_AUTHORIZED");
        }
        assertThat(authority.adapterOf("reefer-77")).isEmpty();
    }

    @Test
    void thingConnectingUnderAnotherThingsClientIdCannotPublishAsIt() throws Exception {
        authority.register("reefer-78", "waybill-edge");
        DeviceCertificate tracker = authority.deviceCertificate("IMEI-356938035640002", "gps-tracker");
        try (LocalMqttClient device = LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                "reefer-78", tracker, authority.certificateAuthorityPem(), null, WAIT)) {
            assertThatThrownBy(() -> device.publishAndWait("dt/waybill/local/waybill-edge/reefer-78", PING, WAIT))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("NOT_AUTHORIZED");
        }
    }

    @Test
    void noThingMayCarryThePartnerAdapter() {
        assertThatThrownBy(() -> authority.register("SWIFTLOG", "swiftlog"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partner adapter");
        assertThatThrownBy(() -> authority.deviceCertificate("IMEI-356938035640003", "swiftlog"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partner adapter");
        assertThat(authority.adapterOf("SWIFTLOG")).isEmpty();
        assertThat(Files.exists(authority.devicesFolder().resolve("IMEI-356938035640003.cert.pem")))
                .as("no certificate issued either").isFalse();
    }

    @Test
    void thingKeepsTheAdapterItWasRegisteredWith() throws Exception {
        authority.register("DOCK-DOOR-9", "rfid-portal");
        authority.register("DOCK-DOOR-9", "rfid-portal");
        assertThatThrownBy(() -> authority.register("DOCK-DOOR-9", "gps-tracker"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rfid-portal");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                authority.devicesFolder().resolve("DOCK-DOOR-9.thing.json").toFile()))
                .as("DescribeThing's shape").isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        "{\"thingName\":\"DOCK-DOOR-9\",\"attributes\":{\"adapter\":\"rfid-portal\"}}"));
        assertThat(LocalDeviceAuthority.openOrCreate(dir.resolve("iot")).adapterOf("DOCK-DOOR-9"))
                .as("a second process reads the registry from disk").contains("rfid-portal");
    }

    @Test
    void deviceWhoseCertificateTheBrokerDoesNotKnowIsRefused() {
        DeviceCertificate stranger = LocalDeviceAuthority.fromUnknownAuthority(dir, "IMEI-000000000000000");

        assertThatThrownBy(() -> LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(),
                "IMEI-000000000000000", stranger, authority.certificateAuthorityPem(), null, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not connected within");
    }

    private static void awaitReceived(List<String> received, int n) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (received.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
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
