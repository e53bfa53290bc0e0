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
    void profileWrittenByTheSharedRegistryAdapterIsReadAsTheSameDevice() {
        // another implementation of the contract: the item bean DynamoDbDeviceRegistry registers devices with
        var written = new io.waybill.aws.devices.DeviceRegistryItem();
        written.setPk("device#GPS-7");
        written.setSk("profile");
        written.setThing("GPS-7");
        written.setAdapter("gps-tracker");
        written.setStatus("REVOKED");
        written.setScope("SHIPMENT");
        written.setRegisteredAt("2026-12-01T08:00:00Z");
        written.setRevokedAt("2026-12-06T09:30:00Z");
        Map<String, AttributeValue> item = software.amazon.awssdk.enhanced.dynamodb.TableSchema
                .fromBean(io.waybill.aws.devices.DeviceRegistryItem.class).itemToMap(written, true);

        assertThat(item.get(DynamoDbDeviceProfiles.PK).s()).isEqualTo(DynamoDbDeviceProfiles.DEVICE_PREFIX + "GPS-7");
        assertThat(item.get(DynamoDbDeviceProfiles.SK).s()).isEqualTo(DynamoDbDeviceProfiles.PROFILE_SK);
        assertThat(DynamoDbDeviceProfiles.fromItem("GPS-7", item))
                .contains(new DeviceProfile("GPS-7", "gps-tracker", DeviceStatus.REVOKED));
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

    @Test
    void signingKeysWrittenByTheSharedRegistryAdapterAreReadAsTheSameKeys() {
        var written = new io.waybill.aws.devices.DeviceRegistryItem();
        written.setPk("device#DOCK-DOOR-1");
        written.setSk("profile");
        written.setThing("DOCK-DOOR-1");
        written.setAdapter("rfid-portal");
        written.setStatus("ACTIVE");
        written.setScope("SITE");
        written.setRegisteredAt("2026-12-01T08:00:00Z");
        written.setKeys(Map.of(ProvisioningGateTest.KID, ProvisioningGateTest.DEVICE_SPKI));
        Map<String, AttributeValue> item = software.amazon.awssdk.enhanced.dynamodb.TableSchema
                .fromBean(io.waybill.aws.devices.DeviceRegistryItem.class).itemToMap(written, true);

        DeviceProfile profile = DynamoDbDeviceProfiles.fromItem("DOCK-DOOR-1", item).orElseThrow();

        assertThat(profile.keys()).containsOnlyKeys(ProvisioningGateTest.KID);
        assertThat(java.util.Base64.getEncoder().encodeToString(profile.keys().get(ProvisioningGateTest.KID).getEncoded()))
                .isEqualTo(ProvisioningGateTest.DEVICE_SPKI);
    }

    @Test
    void profileWithoutKeysHasNoKeysAndAnUnreadableKeyIsAnError() {
        assertThat(DynamoDbDeviceProfiles.fromItem("x", Map.of("adapter", AttributeValue.fromS("rfid-portal"),
                "status", S_ACTIVE)).orElseThrow().keys()).isEmpty();
        assertThatThrownBy(() -> DynamoDbDeviceProfiles.fromItem("x", Map.of("adapter",
                AttributeValue.fromS("rfid-portal"), "status", S_ACTIVE,
                "keys", AttributeValue.fromM(Map.of("kid", AttributeValue.fromS("not a key"))))))
                .isInstanceOf(RegistryUnavailableException.class);
        assertThatThrownBy(() -> DynamoDbDeviceProfiles.fromItem("x", Map.of("adapter",
                AttributeValue.fromS("rfid-portal"), "status", S_ACTIVE, "keys", AttributeValue.fromS("kid"))))
                .isInstanceOf(RegistryUnavailableException.class);
    }
}
