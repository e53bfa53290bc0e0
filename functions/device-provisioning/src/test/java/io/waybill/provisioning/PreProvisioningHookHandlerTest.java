package io.waybill.provisioning;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler on a RegisterThing hook event shaped as AWS IoT documents it ("Pre-provisioning hooks": input
 * claimCertificateId, certificateId, certificatePem, templateArn, clientId, parameters; output allowProvisioning,
 * parameterOverrides).
 */
class PreProvisioningHookHandlerTest {
    private static Map<String, Object> event() throws IOException {
        return event("/register-thing-hook-event.json");
    }

    private static Map<String, Object> event(String resource) throws IOException {
        try (InputStream in = PreProvisioningHookHandlerTest.class.getResourceAsStream(resource)) {
            return new ObjectMapper().readValue(in, new TypeReference<>() { });
        }
    }

    /** DOCK-DOOR-1 registered as an RFID portal with the signing key the fixture's proof was made with (openssl). */
    private static PreProvisioningHookHandler signedRegistry() {
        var profile = new DeviceProfile("DOCK-DOOR-1", "rfid-portal", DeviceStatus.ACTIVE,
                Map.of(ProvisioningGateTest.KID, DeviceKeys.decodePublic(ProvisioningGateTest.DEVICE_SPKI)));
        return new PreProvisioningHookHandler(new ProvisioningGate(thing -> "DOCK-DOOR-1".equals(thing)
                ? Optional.of(profile) : Optional.empty()));
    }

    @Test
    void signedDeviceProvingItsKeyForTheEventsCertificateIsProvisioned() throws IOException {
        Map<String, Object> response = signedRegistry().handleRequest(event("/register-thing-hook-event-signed.json"),
                null);

        assertThat(response).isEqualTo(Map.of("allowProvisioning", true,
                "parameterOverrides", Map.of("Adapter", "rfid-portal")));
    }

    @Test
    void proofIsCheckedAgainstTheCertificateIdAwsIotIsProvisioningNotAParameter() throws IOException {
        Map<String, Object> event = event("/register-thing-hook-event-signed.json");
        String certificateId = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
        event.put("certificateId", certificateId);

        assertThat(signedRegistry().handleRequest(event, null)).containsEntry("allowProvisioning", false);
    }

    @Test
    void signedDeviceWithoutProofIsRefused() throws IOException {
        assertThat(signedRegistry().handleRequest(event(), null)).isEqualTo(Map.of("allowProvisioning", false,
                "parameterOverrides", Map.of()));
    }

    @Test
    void registeredPortalAskingToBeTheEdgeGatewayIsProvisionedAsThePortal() throws IOException {
        var handler = new PreProvisioningHookHandler(new ProvisioningGate(thing -> "DOCK-DOOR-1".equals(thing)
                ? Optional.of(new DeviceProfile(thing, "rfid-portal", DeviceStatus.ACTIVE)) : Optional.empty()));

        Map<String, Object> response = handler.handleRequest(event(), null);

        assertThat(response).isEqualTo(Map.of("allowProvisioning", true,
                "parameterOverrides", Map.of("Adapter", "rfid-portal")));
    }

    @Test
    void unregisteredThingIsRefused() throws IOException {
        var handler = new PreProvisioningHookHandler(new ProvisioningGate(thing -> Optional.empty()));

        assertThat(handler.handleRequest(event(), null)).containsEntry("allowProvisioning", false);
    }
}
