package io.waybill.provisioning;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        try (InputStream in = PreProvisioningHookHandlerTest.class.getResourceAsStream("/register-thing-hook-event.json")) {
            return new ObjectMapper().readValue(in, new TypeReference<>() { });
        }
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
