package io.waybill.provisioning;

import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceStatus;
import org.junit.jupiter.api.Test;

import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-worked cases against registries written out in the test. The proof of possession is the one the openssl CLI
 * made (functions/domain/src/test/resources/device/README.md): key {@link #KID} signed
 * {@code waybill-provisioning-v1:DOCK-DOOR-1:<CERT>}, DER converted to base64url r || s in the shell.
 */
class ProvisioningGateTest {
    /** The certificate id of register-thing-hook-event.json: the certificate the device got for its CSR. */
    static final String CERT = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
    /** The device's signing key (openssl, base64 SPKI DER) and its RFC 7638 thumbprint worked with openssl. */
    static final String DEVICE_SPKI = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQfGdrRGHABXZLoGBgzbzcQAN9w1dXmI8fykGswpX/hQVcPXSQ"
            + "18IKh4S1T68V5eoitAgGdGyRKmaAvSNcOqqRg==";
    static final String KID = "3ydyroZnX8n5VKFmVA6IXVaOy_8xMhbqauFiUVTYoY0";
    /** Another P-256 key made with openssl. */
    static final String OTHER_SPKI = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEdZ0CY2lrBNW54h2TQzoit+xVHslOzDKkoVuqe5QQp/O0o1w3X6"
            + "kOzd9jagkKj8Iyr4DjUsPm4TnDne7q+r0DQw==";
    /** openssl's signature by DEVICE_SPKI's private key over waybill-provisioning-v1:DOCK-DOOR-1:CERT, r || s. */
    static final String PROOF = "qVKI6w7_Ya-6LfAlz-XvJVme17IsWMJipBHP-XrvvFUE-vxylck7QNCUDoc9bCMKtY6m1xSNElEjLdN_p5DYww";


    /** The registry: DOCK-DOOR-1 active RFID portal, GPS-7 revoked tracker; nothing else. */
    private static final Map<String, DeviceProfile> REGISTRY = Map.of(
            "DOCK-DOOR-1", new DeviceProfile("DOCK-DOOR-1", "rfid-portal", DeviceStatus.ACTIVE),
            "GPS-7", new DeviceProfile("GPS-7", "gps-tracker", DeviceStatus.REVOKED));

    private final ProvisioningGate gate = new ProvisioningGate(thing -> Optional.ofNullable(REGISTRY.get(thing)));

    @Test
    void registeredActiveDeviceIsProvisionedUnderTheRegistrysAdapter() {
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "DOCK-DOOR-1"), CERT);

        assertThat(decision.allowProvisioning()).isTrue();
        assertThat(decision.parameterOverrides()).isEqualTo(Map.of("Adapter", "rfid-portal"));
        assertThat(decision.toHookResponse()).isEqualTo(Map.of("allowProvisioning", true,
                "parameterOverrides", Map.of("Adapter", "rfid-portal")));
    }

    @Test
    void adapterTheDeviceAsksForIsReplacedByTheRegistrys() {
        // The portal claims to be the edge gateway: it is provisioned, but as the RFID portal it is registered as.
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "DOCK-DOOR-1", "Adapter", "waybill-edge"), CERT);

        assertThat(decision.allowProvisioning()).isTrue();
        assertThat(decision.parameterOverrides()).containsExactly(Map.entry("Adapter", "rfid-portal"));
    }

    @Test
    void revokedDeviceIsRefused() {
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "GPS-7"), CERT);

        assertThat(decision.allowProvisioning()).isFalse();
        assertThat(decision.parameterOverrides()).isEmpty();
        assertThat(decision.reason()).isEqualTo("DEVICE_REVOKED");
        assertThat(decision.toHookResponse()).isEqualTo(Map.of("allowProvisioning", false,
                "parameterOverrides", Map.of()));
    }

    @Test
    void unregisteredDeviceIsRefused() {
        ProvisioningDecision decision = gate.decide(Map.of("ThingName", "ROGUE-1", "Adapter", "rfid-portal"), CERT);

        assertThat(decision.allowProvisioning()).isFalse();
        assertThat(decision.reason()).isEqualTo("UNREGISTERED_DEVICE");
    }

    @Test
    void thingNameIsMatchedExactlyNotCaseInsensitively() {
        assertThat(gate.decide(Map.of("ThingName", "dock-door-1"), CERT).allowProvisioning()).isFalse();
    }

    @Test
    void requestWithoutThingNameIsRefusedWithoutAskingTheRegistry() {
        ProvisioningGate failingRegistry = new ProvisioningGate(thing -> {
            throw new AssertionError("registry read for " + thing);
        });
        Map<String, String> blank = new HashMap<>();
        blank.put("ThingName", " ");

        assertThat(failingRegistry.decide(Map.of(), CERT).reason()).isEqualTo("NO_THING_NAME");
        assertThat(failingRegistry.decide(blank, CERT).reason()).isEqualTo("NO_THING_NAME");
        assertThat(failingRegistry.decide(null, CERT).allowProvisioning()).isFalse();
    }

    // ---- devices registered with a signing key: possession of the key is proven for this certificate ----

    private static ECPublicKey key(String spki) {
        return DeviceKeys.decodePublic(spki);
    }

    /** DOCK-DOOR-1 and DOCK-DOOR-2 active portals with the device key; GPS-7 revoked with it; reefer-0002 two keys. */
    private static ProvisioningGate signedGate(Map<String, ECPublicKey> dockDoorKeys) {
        Map<String, DeviceProfile> registry = Map.of(
                "DOCK-DOOR-1", new DeviceProfile("DOCK-DOOR-1", "rfid-portal", DeviceStatus.ACTIVE, dockDoorKeys),
                "DOCK-DOOR-2", new DeviceProfile("DOCK-DOOR-2", "rfid-portal", DeviceStatus.ACTIVE,
                        Map.of(KID, key(DEVICE_SPKI))),
                "GPS-7", new DeviceProfile("GPS-7", "gps-tracker", DeviceStatus.REVOKED, Map.of(KID, key(DEVICE_SPKI))));
        return new ProvisioningGate(thing -> Optional.ofNullable(registry.get(thing)));
    }

    private final ProvisioningGate signed = signedGate(Map.of(KID, key(DEVICE_SPKI)));

    private static Map<String, String> proven(String thing, String kid, String proof) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("ThingName", thing);
        parameters.put("KeyId", kid);
        parameters.put("CertificateProof", proof);
        return parameters;
    }

    @Test
    void deviceProvingItsRegisteredKeyForThisCertificateIsProvisionedUnderTheRegistrysAdapter() {
        Map<String, String> request = proven("DOCK-DOOR-1", KID, PROOF);
        request.put("Adapter", "waybill-edge");

        ProvisioningDecision decision = signed.decide(request, CERT);

        assertThat(decision.allowProvisioning()).isTrue();
        assertThat(decision.reason()).isEqualTo("REGISTERED_ACTIVE_KEY_PROVEN");
        assertThat(decision.toHookResponse()).isEqualTo(Map.of("allowProvisioning", true,
                "parameterOverrides", Map.of("Adapter", "rfid-portal")));
    }

    @Test
    void claimHolderWithoutTheSigningKeyIsRefused() {
        // the attack: the claim certificate, a certificate from the attacker's own CSR, the registered thing's name
        ProvisioningDecision decision = signed.decide(Map.of("ThingName", "DOCK-DOOR-1"), CERT);

        assertThat(decision.allowProvisioning()).isFalse();
        assertThat(decision.reason()).isEqualTo("NO_CERTIFICATE_PROOF");
        assertThat(decision.parameterOverrides()).isEmpty();
        assertThat(signed.decide(proven("DOCK-DOOR-1", KID, ""), CERT).reason()).isEqualTo("NO_CERTIFICATE_PROOF");
        assertThat(signed.decide(proven("DOCK-DOOR-1", null, PROOF), CERT).reason()).isEqualTo("NO_CERTIFICATE_PROOF");
    }

    @Test
    void proofReplayedForAnotherCertificateIsRefused() {
        // a proof seen in transit, presented with a certificate the attacker holds the private key of
        String attackersCertificate = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

        ProvisioningDecision decision = signed.decide(proven("DOCK-DOOR-1", KID, PROOF), attackersCertificate);

        assertThat(decision.allowProvisioning()).isFalse();
        assertThat(decision.reason()).isEqualTo("BAD_CERTIFICATE_PROOF");
        assertThat(signed.decide(proven("DOCK-DOOR-1", KID, PROOF), null).reason()).isEqualTo("BAD_CERTIFICATE_PROOF");
    }

    @Test
    void proofForAnotherThingIsRefusedEvenWhereBothThingsShareTheKey() {
        assertThat(signed.decide(proven("DOCK-DOOR-2", KID, PROOF), CERT).reason()).isEqualTo("BAD_CERTIFICATE_PROOF");
    }

    @Test
    void proofByAnotherKeyIsRefused() {
        // the registry holds another key under the id the device names
        assertThat(signedGate(Map.of(KID, key(OTHER_SPKI))).decide(proven("DOCK-DOOR-1", KID, PROOF), CERT).reason())
                .isEqualTo("BAD_CERTIFICATE_PROOF");
        // the device has two keys; the proof names the other one
        String otherKid = "kEM1Vb0rG1C5Ejt6P6YyL0kTfZ9yKjx2iVh6Gq2l0aY";
        ProvisioningGate twoKeys = signedGate(Map.of(KID, key(DEVICE_SPKI), otherKid, key(OTHER_SPKI)));
        assertThat(twoKeys.decide(proven("DOCK-DOOR-1", otherKid, PROOF), CERT).reason())
                .isEqualTo("BAD_CERTIFICATE_PROOF");
        assertThat(twoKeys.decide(proven("DOCK-DOOR-1", KID, PROOF), CERT).allowProvisioning()).isTrue();
        // a key id the device does not have
        assertThat(signed.decide(proven("DOCK-DOOR-1", otherKid, PROOF), CERT).reason())
                .isEqualTo("BAD_CERTIFICATE_PROOF");
    }

    @Test
    void malformedProofIsRefused() {
        assertThat(signed.decide(proven("DOCK-DOOR-1", KID, "%%%not-base64%%%"), CERT).reason())
                .isEqualTo("BAD_CERTIFICATE_PROOF");
        // 63 bytes
        assertThat(signed.decide(proven("DOCK-DOOR-1", KID, PROOF.substring(0, 84)), CERT).reason())
                .isEqualTo("BAD_CERTIFICATE_PROOF");
        // the signature in openssl's DER form, not r || s
        String der = "MEUCIQCpUojrDv9hr7ot8CXP5e8lWZ7XsixYwmKkEc_5eu-8VQIgBPr8cpXJO0DQlA6HPWwjCrWOptcUjRJRIy3Tf6eQ2MM";
        assertThat(signed.decide(proven("DOCK-DOOR-1", KID, der), CERT).reason()).isEqualTo("BAD_CERTIFICATE_PROOF");
    }

    @Test
    void revokedDeviceIsRefusedEvenWithAValidProof() {
        assertThat(signed.decide(proven("GPS-7", KID, PROOF), CERT).reason()).isEqualTo("DEVICE_REVOKED");
    }

    @Test
    void deviceRegisteredWithoutKeysIsProvisionedOnRegistrationAloneAsBefore() {
        ProvisioningDecision decision = gate.decide(proven("DOCK-DOOR-1", KID, "anything"), CERT);

        assertThat(decision.allowProvisioning()).isTrue();
        assertThat(decision.reason()).isEqualTo("REGISTERED_ACTIVE_NO_KEY");
        assertThat(decision.parameterOverrides()).isEqualTo(Map.of("Adapter", "rfid-portal"));
    }
}
