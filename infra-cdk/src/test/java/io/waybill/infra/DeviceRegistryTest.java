package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static io.waybill.infra.SynthesizedStacks.attributeTypes;
import static io.waybill.infra.SynthesizedStacks.keyTypes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device registry table of the issue 11 contract: keys {@code pk} (S) / {@code sk} (S), on-demand, point-in-time
 * recovery, its own customer-managed key, retained and deletion-protected like the other retained tables.
 */
class DeviceRegistryTest {

    @Test
    void registryIsOneTableWithStringKeysPkAndSk() {
        var dev = SynthesizedStacks.dev();
        Map<String, Object> table = dev.properties(dev.stack().deviceRegistry().table());
        assertThat(table).containsEntry("TableName", "waybill-dev-devices")
                .containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                .doesNotContainKey("GlobalSecondaryIndexes")
                .doesNotContainKey("TimeToLiveSpecification");
        assertThat(keyTypes(asList(table.get("KeySchema")))).isEqualTo(Map.of("pk", "HASH", "sk", "RANGE"));
        assertThat(attributeTypes(table)).isEqualTo(Map.of("pk", "S", "sk", "S"));
    }

    @Test
    void tableKeysAreTheSharedRegistryAdaptersKeys() {
        // drift between the table CDK deploys and the one DynamoDbDeviceRegistry (ingest, CLI) and the emulators use
        var local = io.waybill.aws.devices.DeviceRegistryTables.registry("waybill-devices");
        Map<String, String> expectedKeys = new java.util.HashMap<>();
        local.keySchema().forEach(k -> expectedKeys.put(k.attributeName(), k.keyTypeAsString()));
        Map<String, String> expectedTypes = new java.util.HashMap<>();
        local.attributeDefinitions().forEach(a -> expectedTypes.put(a.attributeName(), a.attributeTypeAsString()));
        var dev = SynthesizedStacks.dev();
        Map<String, Object> table = dev.properties(dev.stack().deviceRegistry().table());
        assertThat(keyTypes(asList(table.get("KeySchema")))).isEqualTo(expectedKeys);
        assertThat(attributeTypes(table)).isEqualTo(expectedTypes);
    }

    @Test
    void registryIsEncryptedWithItsOwnRotatedCustomerKey() {
        var dev = SynthesizedStacks.dev();
        var registry = dev.stack().deviceRegistry();
        String keyId = dev.logicalId(registry.key());
        assertThat(dev.properties(registry.table()).get("SSESpecification")).isEqualTo(Map.of(
                "SSEEnabled", true, "SSEType", "KMS",
                "KMSMasterKeyId", Map.of("Fn::GetAtt", List.of(keyId, "Arn"))));
        assertThat(dev.properties(registry.key())).containsEntry("EnableKeyRotation", true);
        assertThat(dev.resources("AWS::KMS::Alias").values()).extracting(a -> asMap(a.get("Properties")))
                .anySatisfy(a -> assertThat(a).containsEntry("AliasName", "alias/waybill-dev-device-registry")
                        .containsEntry("TargetKeyId", Map.of("Fn::GetAtt", List.of(keyId, "Arn"))));
        // not the event store's key: a role that may read events may not read device keys, and the other way round
        assertThat(keyId).isNotEqualTo(dev.logicalId(dev.stack().eventStore().key()));
    }

    @Test
    void registryAndItsKeyAreRetainedAndDeletionProtectedUnlessTheStageRetainsNoData() {
        var dev = SynthesizedStacks.dev();
        var registry = dev.stack().deviceRegistry();
        assertThat(dev.resource(registry.table())).containsEntry("DeletionPolicy", "Retain")
                .containsEntry("UpdateReplacePolicy", "Retain");
        assertThat(dev.properties(registry.table())).containsEntry("DeletionProtectionEnabled", true);
        assertThat(dev.resource(registry.key())).containsEntry("DeletionPolicy", "Retain");

        var loadTest = SynthesizedStacks.loadTest(); // retainData=false
        var throwaway = loadTest.stack().deviceRegistry();
        assertThat(loadTest.resource(throwaway.table())).containsEntry("DeletionPolicy", "Delete");
        assertThat(loadTest.properties(throwaway.table())).containsEntry("DeletionProtectionEnabled", false)
                .containsEntry("TableName", "waybill-load-test-devices");
    }

    @Test
    void registryIsConfiguredLikeTheEventStoresTables() {
        // same removal, capacity, recovery and deletion protection as the ledger (only name, keys and key differ)
        var dev = SynthesizedStacks.dev();
        Map<String, Object> registry = dev.resource(dev.stack().deviceRegistry().table());
        Map<String, Object> shipments = dev.resource(dev.stack().eventStore().shipments());
        for (String field : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
            assertThat(registry.get(field)).as(field).isEqualTo(shipments.get(field));
        }
        Map<String, Object> registryProps = asMap(registry.get("Properties"));
        Map<String, Object> shipmentProps = asMap(shipments.get("Properties"));
        for (String field : List.of("BillingMode", "PointInTimeRecoverySpecification", "DeletionProtectionEnabled")) {
            assertThat(registryProps.get(field)).as(field).isEqualTo(shipmentProps.get(field));
        }
    }
}
