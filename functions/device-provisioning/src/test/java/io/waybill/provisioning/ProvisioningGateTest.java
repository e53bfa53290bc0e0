package io.waybill.provisioning;

import io.waybill.domain.device.DeviceStatus;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-worked cases against a registry of three things written out in the test. */
class ProvisioningGateTest {
    /** The registry: DOCK-DOOR-1 active RFID portal, GPS-7 revoked tracker; nothing else. */
    private static final Map<String, DeviceProfile> REGISTRY = Map.of(
            "DOCK-DOOR-1", new DeviceProfile("DOCK-DOOR-1", "rfid-portal", DeviceStatus.ACTIVE),
            "GPS-7", new DeviceProfile("GPS-7", "gps-tracker", DeviceStatus.REVOKED));

    private final ProvisioningGate gate = new ProvisioningGate(thing -> Optional.ofNullable(REGISTRY.get(thing)));

    @Test
    void registeredActiveDeviceIsProvisionedUnderTheRegistrysAdapter() {
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "DOCK-DOOR-1"));

        assertThat(decision.allowProvisioning()).isTrue();
        assertThat(decision.parameterOverrides()).isEqualTo(Map.of("Adapter", "rfid-portal"));
        assertThat(decision.toHookResponse()).isEqualTo(Map.of("allowProvisioning", true,
                "parameterOverrides", Map.of("Adapter", "rfid-portal")));
    }

    @Test
    void adapterTheDeviceAsksForIsReplacedByTheRegistrys() {
        // The portal claims to be the edge gateway: it is provisioned, but as the RFID portal it is registered as.
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "DOCK-DOOR-1", "Adapter", "waybill-edge"));

        assertThat(decision.allowProvisioning()).isTrue();
        assertThat(decision.parameterOverrides()).containsExactly(Map.entry("Adapter", "rfid-portal"));
    }

    @Test
    void revokedDeviceIsRefused() {
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "GPS-7"));

        assertThat(decision.allowProvisioning()).isFalse();
        assertThat(decision.parameterOverrides()).isEmpty();
        assertThat(decision.reason()).isEqualTo("DEVICE_REVOKED");
        assertThat(decision.toHookResponse()).isEqualTo(Map.of("allowProvisioning", false,
                "parameterOverrides", Map.of()));
    }

    @Test
    void unregisteredDeviceIsRefused() {
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "ROGUE-1", "Adapter", "rfid-portal"));

        assertThat(decision.allowProvisioning()).isFalse();
        assertThat(decision.reason()).isEqualTo("UNREGISTERED_DEVICE");
    }

    @Test
    void thingNameIsMatchedExactlyNotCaseInsensitively() {
        assertThat(gate.decide(Map.of("ThingName", "dock-door-1")).allowProvisioning()).isFalse();
    }

    @Test
    void requestWithoutThingNameIsRefusedWithoutAskingTheRegistry() {
        ProvisioningGate failingRegistry = new ProvisioningGate(thing -> {
            throw new AssertionError("registry read for " + thing);
        });
        Map<String, String> blank = new HashMap<>();
        blank.put("ThingName", " ");

        assertThat(failingRegistry.decide(Map.of()).reason()).isEqualTo("NO_THING_NAME");
        assertThat(failingRegistry.decide(blank).reason()).isEqualTo("NO_THING_NAME");
        assertThat(failingRegistry.decide(null).allowProvisioning()).isFalse();
    }
}
