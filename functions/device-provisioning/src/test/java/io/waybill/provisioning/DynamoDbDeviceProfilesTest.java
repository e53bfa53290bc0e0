package io.waybill.provisioning;

import io.waybill.domain.device.DeviceStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry's profile item (shared contract: pk device#thing, sk profile, adapter S, status S) read as a profile. */
class DynamoDbDeviceProfilesTest {
    private static final AttributeValue S_ACTIVE = AttributeValue.fromS("ACTIVE");

    @Test
    void profileItemIsReadAsItsThingAdapterAndStatus() {
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS("device#reefer-0001"), "sk", AttributeValue.fromS("profile"),
                "thing", AttributeValue.fromS("reefer-0001"), "adapter", AttributeValue.fromS("waybill-edge"),
                "status", S_ACTIVE);

        assertThat(DynamoDbDeviceProfiles.fromItem("reefer-0001", item))
                .contains(new DeviceProfile("reefer-0001", "waybill-edge", DeviceStatus.ACTIVE));
        assertThat(DynamoDbDeviceProfiles.fromItem("reefer-0001",
                Map.of("adapter", AttributeValue.fromS("waybill-edge"), "status", AttributeValue.fromS("REVOKED"))))
                .contains(new DeviceProfile("reefer-0001", "waybill-edge", DeviceStatus.REVOKED));
    }

    @Test
    void noItemIsNoDevice() {
        assertThat(DynamoDbDeviceProfiles.fromItem("x", Map.of())).isEqualTo(Optional.empty());
        assertThat(DynamoDbDeviceProfiles.fromItem("x", null)).isEqualTo(Optional.empty());
    }

    @Test
    void malformedProfileIsAnErrorNeverADevice() {
        assertThatThrownBy(() -> DynamoDbDeviceProfiles.fromItem("x", Map.of("status", S_ACTIVE)))
                .isInstanceOf(RegistryUnavailableException.class);
        assertThatThrownBy(() -> DynamoDbDeviceProfiles.fromItem("x",
                Map.of("adapter", AttributeValue.fromS("gps-tracker"), "status", AttributeValue.fromS("SUSPENDED"))))
                .isInstanceOf(RegistryUnavailableException.class);
    }
}
