package io.waybill.provisioning;

import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.ProvisioningProof;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may be provisioned by claim: only a thing the device registry holds, with status {@code ACTIVE}, that proves it
 * holds its registered signing key, and always under the registry's adapter. The device names its thing
 * ({@value #THING_NAME} of the RegisterThing parameters) but never chooses its adapter: whatever it sends as
 * {@value #ADAPTER} is replaced by the registry's, and the provisioning template writes that value into the thing
 * attribute the device policy publishes under.
 *
 * <p>A thing registered with signing keys must send {@value #KEY_ID} (the key's RFC 7638 thumbprint) and
 * {@value #CERTIFICATE_PROOF}: its signature over the thing name and the id of the certificate being provisioned
 * ({@link ProvisioningProof}). Holding the fleet's shared claim certificate is then not enough to obtain a
 * certificate for that thing. A thing registered without keys (a device that cannot sign) is provisioned on
 * registration and status alone, as before: whoever holds the claim certificate can obtain a certificate for it while
 * it is registered and active (reason {@value #ALLOWED_WITHOUT_KEY} in the log).
 *
 * <p>Refusal reasons: {@value #NO_THING_NAME}, {@value #UNREGISTERED}, {@value #REVOKED}, {@value #NO_PROOF},
 * {@value #BAD_PROOF}.
 */
public final class ProvisioningGate {
    /** The provisioning template's parameter holding the thing name (the device's MQTT client id). */
    public static final String THING_NAME = "ThingName";
    /** The provisioning template's parameter holding the adapter; always overridden from the registry. */
    public static final String ADAPTER = "Adapter";
    /** The provisioning template's parameter holding the key id of the signing key the proof is made with. */
    public static final String KEY_ID = "KeyId";
    /** The provisioning template's parameter holding the proof ({@link ProvisioningProof}, base64url r || s). */
    public static final String CERTIFICATE_PROOF = "CertificateProof";

    public static final String NO_THING_NAME = "NO_THING_NAME";
    public static final String UNREGISTERED = "UNREGISTERED_DEVICE";
    public static final String REVOKED = "DEVICE_REVOKED";
    /** The thing has signing keys but the request carries no proof or no key id. */
    public static final String NO_PROOF = "NO_CERTIFICATE_PROOF";
    /** The proof is malformed, names a key the thing does not have, or does not verify. */
    public static final String BAD_PROOF = "BAD_CERTIFICATE_PROOF";

    /** Allowed: the thing proved its registered key. */
    public static final String ALLOWED_WITH_KEY = "REGISTERED_ACTIVE_KEY_PROVEN";
    /** Allowed: the thing has no registered key (registration and status only). */
    public static final String ALLOWED_WITHOUT_KEY = "REGISTERED_ACTIVE_NO_KEY";

    private final DeviceProfiles registry;

    public ProvisioningGate(DeviceProfiles registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * The decision on a RegisterThing request.
     *
     * @param parameters    the template parameters the device sent
     * @param certificateId the id of the certificate AWS IoT is provisioning (the hook input's {@code certificateId})
     */
    public ProvisioningDecision decide(Map<String, String> parameters, String certificateId) {
        String thing = parameters == null ? null : parameters.get(THING_NAME);
        if (thing == null || thing.isBlank()) {
            return ProvisioningDecision.refuse(NO_THING_NAME);
        }
        Optional<DeviceProfile> found = registry.find(thing);
        if (found.isEmpty()) {
            return ProvisioningDecision.refuse(UNREGISTERED);
        }
        DeviceProfile profile = found.get();
        if (profile.status() != DeviceStatus.ACTIVE) {
            return ProvisioningDecision.refuse(REVOKED);
        }
        Map<String, String> overrides = Map.of(ADAPTER, profile.adapter());
        if (profile.keys().isEmpty()) {
            return ProvisioningDecision.allow(overrides, ALLOWED_WITHOUT_KEY);
        }
        ProvisioningProof.Verification proof = ProvisioningProof.verify(thing, certificateId,
                parameters.get(KEY_ID), parameters.get(CERTIFICATE_PROOF), profile.keys());
        if (proof instanceof ProvisioningProof.Valid) {
            return ProvisioningDecision.allow(overrides, ALLOWED_WITH_KEY);
        }
        return ProvisioningDecision.refuse(proof instanceof ProvisioningProof.Missing ? NO_PROOF : BAD_PROOF);
    }
}
