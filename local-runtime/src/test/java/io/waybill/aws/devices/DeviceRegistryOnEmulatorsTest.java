package io.waybill.aws.devices;

import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry's item layout and its promises on dynalite: what is written is what ingest reads back. */
@Timeout(120)
class DeviceRegistryOnEmulatorsTest {
    private static LocalAwsStack stack;

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

    private static String newTable() {
        String name = "devices-" + UUID.randomUUID();
        StackResources.using(stack.clients()).createTable(DeviceRegistryTables.registry(name));
        return name;
    }

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void registeredDeviceReadsBackWithKeysAssignmentsAndSequences() {
        DynamoDbDeviceRegistry registry = new DynamoDbDeviceRegistry(stack.clients().dynamoDb(), newTable(),
                Duration.ZERO, Clock.systemUTC());
        ECPublicKey key = (ECPublicKey) DeviceKeys.generate().getPublic();
        String kid = DeviceKeys.keyId(key);
        registry.register(new RegisteredDevice("reefer-07", "waybill-edge", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(kid, key), List.of(new ShipmentAssignment("376123450000000017", T0, null)), Map.of(), T0), false);
        registry.assign("reefer-07", new ShipmentAssignment("376123450000000024", T0.plusSeconds(3600),
                T0.plusSeconds(7200)));
        registry.advanceSequences(Map.of("reefer-07", Map.of(kid, 41L)));
        registry.advanceSequences(Map.of("reefer-07", Map.of(kid, 7L))); // never lowers

        RegisteredDevice d = registry.find(Set.of("reefer-07", "stranger"), true).get("reefer-07");
        assertThat(registry.find(Set.of("stranger"), true)).isEmpty();
        assertThat(d.adapter()).isEqualTo("waybill-edge");
        assertThat(d.status()).isEqualTo(DeviceStatus.ACTIVE);
        assertThat(d.keys().get(kid).getEncoded()).isEqualTo(key.getEncoded());
        assertThat(d.lastSequence()).containsExactly(Map.entry(kid, 41L));
        assertThat(d.assignedTo("376123450000000017", T0.plusSeconds(10 * 86_400))).isTrue();
        assertThat(d.assignedTo("376123450000000024", T0.plusSeconds(3600))).isTrue();
        assertThat(d.assignedTo("376123450000000024", T0.plusSeconds(7200))).isFalse();

        assertThat(registry.unassign("reefer-07", "376123450000000024", T0.plusSeconds(3600))).isTrue();
        registry.revoke("reefer-07", T0.plusSeconds(9000));
        RegisteredDevice after = registry.get("reefer-07").orElseThrow();
        assertThat(after.status()).isEqualTo(DeviceStatus.REVOKED);
        assertThat(after.assignments()).hasSize(1);
        assertThat(registry.list()).extracting(RegisteredDevice::thing).containsExactly("reefer-07");
    }

    @Test
    void aThingIsRegisteredOnceAndOnlyRegisteredThingsAreAssignedOrRevoked() {
        DynamoDbDeviceRegistry registry = new DynamoDbDeviceRegistry(stack.clients().dynamoDb(), newTable(),
                Duration.ZERO, Clock.systemUTC());
        RegisteredDevice gps = new RegisteredDevice("IMEI-356938035643809", "gps-tracker", DeviceStatus.ACTIVE,
                DeviceScope.SHIPMENT, Map.of(), List.of(), Map.of(), T0);
        registry.register(gps, false);
        assertThatThrownBy(() -> registry.register(gps, false))
                .isInstanceOf(DynamoDbDeviceRegistry.RegistryConflictException.class);
        assertThatThrownBy(() -> registry.assign("nobody", new ShipmentAssignment("376123450000000017", T0, null)))
                .isInstanceOf(DynamoDbDeviceRegistry.RegistryConflictException.class);
        assertThatThrownBy(() -> registry.revoke("nobody", T0))
                .isInstanceOf(DynamoDbDeviceRegistry.RegistryConflictException.class);
        assertThat(registry.list()).hasSize(1); // revoke of nobody did not create an item
    }

    @Test
    void cachedAnswersLastTheirTimeUnlessFresh() {
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        String table = newTable();
        DynamoDbDeviceRegistry ingest = new DynamoDbDeviceRegistry(stack.clients().dynamoDb(), table,
                Duration.ofSeconds(60), clock);
        DynamoDbDeviceRegistry admin = new DynamoDbDeviceRegistry(stack.clients().dynamoDb(), table,
                Duration.ZERO, Clock.systemUTC());
        assertThat(ingest.find(Set.of("portal-3"), false)).isEmpty();
        admin.register(new RegisteredDevice("portal-3", "rfid-portal", DeviceStatus.ACTIVE, DeviceScope.SITE,
                Map.of(), List.of(), Map.of(), T0), false);
        assertThat(ingest.find(Set.of("portal-3"), false)).as("still cached").isEmpty();
        assertThat(ingest.find(Set.of("portal-3"), true)).as("fresh").containsKey("portal-3");
        admin.revoke("portal-3", T0);
        now.set(T0.plusSeconds(59));
        assertThat(ingest.find(Set.of("portal-3"), false).get("portal-3").status()).isEqualTo(DeviceStatus.ACTIVE);
        now.set(T0.plusSeconds(61));
        assertThat(ingest.find(Set.of("portal-3"), false).get("portal-3").status()).isEqualTo(DeviceStatus.REVOKED);
    }
}
