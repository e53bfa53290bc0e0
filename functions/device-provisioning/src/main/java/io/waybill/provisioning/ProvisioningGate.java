package io.waybill.provisioning;

import io.waybill.domain.device.DeviceStatus;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may be provisioned by claim: only a thing the device registry holds, with status {@code ACTIVE}, and always
 * under the registry's adapter. The device names its thing ({@value #THING_NAME} of the RegisterThing parameters) but
 * never chooses its adapter: whatever it sends as {@value #ADAPTER} is replaced by the registry's, and the
 * provisioning template writes that value into the thing attribute the device policy publishes under.
 *
 * <p>Refusal reasons: {@value #NO_THING_NAME}, {@value #UNREGISTERED}, {@value #REVOKED}.
 */
public final class ProvisioningGate {
    /** The provisioning template's parameter holding the thing name (the device's MQTT client id). */
    public static final String THING_NAME = "ThingName";
    /** The provisioning template's parameter holding the adapter; always overridden from the registry. */
    public static final String ADAPTER = "Adapter";

    public static final String NO_THING_NAME = "NO_THING_NAME";
    public static final String UNREGISTERED = "UNREGISTERED_DEVICE";
    public static final String REVOKED = "DEVICE_REVOKED";

    private final DeviceProfiles registry;

    public ProvisioningGate(DeviceProfiles registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The decision on a RegisterThing request with these template parameters. */
    public ProvisioningDecision decide(Map<String, String> parameters) {
        String thing = parameters == null ? null : parameters.get(THING_NAME);
        if (thing == null || thing.isBlank()) {
            return ProvisioningDecision.refuse(NO_THING_NAME);
        }
        Optional<DeviceProfile> profile = registry.find(thing);
        if (profile.isEmpty()) {
            return ProvisioningDecision.refuse(UNREGISTERED);
        }
        if (profile.get().status() != DeviceStatus.ACTIVE) {
            return ProvisioningDecision.refuse(REVOKED);
        }
        return ProvisioningDecision.allow(Map.of(ADAPTER, profile.get().adapter()));
    }
}
