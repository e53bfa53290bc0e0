package io.waybill.infra;

import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.coldchain.EvidenceItem;
import io.waybill.aws.coldchain.IncidentItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.attributeTypes;
import static io.waybill.infra.SynthesizedStacks.keyTypes;
import static org.assertj.core.api.Assertions.assertThat;

class ColdChainStoreTest {
    private static SynthesizedStacks.Synthesized dev;
    private static ColdChainStore store;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        store = dev.stack().coldChainStore();
    }

    @Test
    void keyNamesAreTheColdChainItemBeansKeys() {
        var exposure = ColdChainTables.exposureSchema().tableMetadata();
        assertThat(ColdChainStore.SHIPMENT_SSCC).isEqualTo(exposure.primaryPartitionKey());
        assertThat(ColdChainStore.RECORD_KEY).isEqualTo(exposure.primarySortKey().orElseThrow());
        assertThat(ColdChainStore.BY_PENDING_BREACH_INDEX).isEqualTo(EvidenceItem.BY_PENDING_BREACH_INDEX);
        assertThat(ColdChainStore.PENDING_BREACH)
                .isEqualTo(exposure.indexPartitionKey(EvidenceItem.BY_PENDING_BREACH_INDEX));
        assertThat(ColdChainStore.SHIPMENT_SSCC)
                .isEqualTo(exposure.indexSortKey(EvidenceItem.BY_PENDING_BREACH_INDEX).orElseThrow());

        var incidents = ColdChainTables.incidentSchema().tableMetadata();
        assertThat(ColdChainStore.INCIDENT_ID).isEqualTo(incidents.primaryPartitionKey());
        assertThat(incidents.primarySortKey()).isEmpty();
        assertThat(ColdChainStore.BY_SHIPMENT_INDEX).isEqualTo(IncidentItem.BY_SHIPMENT_INDEX);
        assertThat(ColdChainStore.SHIPMENT_SSCC).isEqualTo(incidents.indexPartitionKey(IncidentItem.BY_SHIPMENT_INDEX));
        assertThat(ColdChainStore.OPENED_AT)
                .isEqualTo(incidents.indexSortKey(IncidentItem.BY_SHIPMENT_INDEX).orElseThrow());
        assertThat(ColdChainStore.BY_STATUS_INDEX).isEqualTo(IncidentItem.BY_STATUS_INDEX);
        assertThat(ColdChainStore.STATUS).isEqualTo(incidents.indexPartitionKey(IncidentItem.BY_STATUS_INDEX));
        assertThat(ColdChainStore.OPENED_AT)
                .isEqualTo(incidents.indexSortKey(IncidentItem.BY_STATUS_INDEX).orElseThrow());

        var compliance = ColdChainTables.complianceSchema().tableMetadata();
        assertThat(ColdChainStore.SHIPMENT_SSCC).isEqualTo(compliance.primaryPartitionKey());
        assertThat(ColdChainStore.RECORD_ID).isEqualTo(compliance.primarySortKey().orElseThrow());
    }

    @Test
    void exposureTableDeclaresTheSameKeysAsTheLocalTableDefinitionAndTheSparsePendingBreachIndex() {
        Map<String, Object> exposure = dev.properties(store.exposure());
        CreateTableRequest local = ColdChainTables.exposure("exposure");
        assertThat(keyTypes(asList(exposure.get("KeySchema")))).isEqualTo(keySchema(local));
        // The table's keys and the index's (whether or not the local definition creates the index too).
        var meta = ColdChainTables.exposureSchema().tableMetadata();
        Map<String, String> expectedAttributes = new java.util.HashMap<>(attributes(local));
        expectedAttributes.put(meta.indexPartitionKey(EvidenceItem.BY_PENDING_BREACH_INDEX), "S");
        expectedAttributes.put(meta.indexSortKey(EvidenceItem.BY_PENDING_BREACH_INDEX).orElseThrow(), "S");
        assertThat(attributeTypes(exposure)).isEqualTo(expectedAttributes);
        assertThat(asList(exposure.get("GlobalSecondaryIndexes"))).singleElement().satisfies(i -> {
            Map<String, Object> index = SynthesizedStacks.asMap(i);
            assertThat(index).containsEntry("IndexName", EvidenceItem.BY_PENDING_BREACH_INDEX)
                    .containsEntry("Projection", Map.of("ProjectionType", "KEYS_ONLY"));
            assertThat(keyTypes(asList(index.get("KeySchema")))).isEqualTo(Map.of(
                    meta.indexPartitionKey(EvidenceItem.BY_PENDING_BREACH_INDEX), "HASH",
                    meta.indexSortKey(EvidenceItem.BY_PENDING_BREACH_INDEX).orElseThrow(), "RANGE"));
        });
        assertSameIndexes(exposure, local);
    }

    @Test
    void complianceTableDeclaresTheSameKeysAsTheLocalTableDefinition() {
        assertSameKeys(dev.properties(store.compliance()), ColdChainTables.compliance("compliance"));
    }

    @Test
    void incidentsTableDeclaresTheSameKeysAndIndexesAsTheLocalTableDefinition() {
        Map<String, Object> incidents = dev.properties(store.incidents());
        CreateTableRequest local = ColdChainTables.incidents("incidents");
        assertSameKeys(incidents, local);
        assertThat(indexes(incidents).keySet()).containsExactlyInAnyOrder(IncidentItem.BY_SHIPMENT_INDEX, IncidentItem.BY_STATUS_INDEX);
        assertSameIndexes(incidents, local);
    }

    /** Every index the local table definition creates is deployed with the same keys and projection. */
    private static void assertSameIndexes(Map<String, Object> table, CreateTableRequest local) {
        Map<String, Map<String, Object>> indexes = indexes(table);
        for (var localIndex : local.globalSecondaryIndexes()) {
            Map<String, Object> index = indexes.get(localIndex.indexName());
            assertThat(index).as(localIndex.indexName())
                    .containsEntry("Projection", Map.of("ProjectionType", localIndex.projection().projectionTypeAsString()));
            assertThat(keyTypes(asList(index.get("KeySchema")))).as(localIndex.indexName())
                    .isEqualTo(localIndex.keySchema().stream()
                            .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())));
        }
    }

    @Test
    void tablesAreOnDemandWithPointInTimeRecoveryAndTheirCustomerManagedKey() {
        String key = dev.logicalId(store.key());
        for (var table : List.of(store.exposure(), store.incidents(), store.compliance())) {
            assertThat(dev.properties(table)).as(dev.logicalId(table))
                    .containsEntry("BillingMode", "PAY_PER_REQUEST")
                    .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                    .containsEntry("SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS",
                            "KMSMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))));
        }
        assertThat(dev.properties(store.key())).containsEntry("EnableKeyRotation", true);
    }

    @Test
    void tablesAndTheirKeyAreRetainedAndDeletionProtectedByDefault() {
        for (var construct : List.of(store.exposure(), store.incidents(), store.compliance(), store.key())) {
            assertThat(dev.resource(construct)).containsEntry("DeletionPolicy", "Retain")
                    .containsEntry("UpdateReplacePolicy", "Retain");
        }
        for (var table : List.of(store.exposure(), store.incidents(), store.compliance())) {
            assertThat(dev.properties(table)).containsEntry("DeletionProtectionEnabled", true);
        }
    }

    @Test
    void retainDataFalseLetsAThrowawayStageDeleteTheColdChainTables() {
        var loadTest = SynthesizedStacks.loadTest();
        var loadStore = loadTest.stack().coldChainStore();
        for (var table : List.of(loadStore.exposure(), loadStore.incidents(), loadStore.compliance())) {
            assertThat(loadTest.resource(table)).containsEntry("DeletionPolicy", "Delete");
            assertThat(loadTest.properties(table)).containsEntry("DeletionProtectionEnabled", false);
        }
        assertThat(loadTest.resource(loadStore.key())).containsEntry("DeletionPolicy", "Delete");
    }

    private static void assertSameKeys(Map<String, Object> table, CreateTableRequest local) {
        assertThat(attributeTypes(table)).isEqualTo(attributes(local));
        assertThat(keyTypes(asList(table.get("KeySchema")))).isEqualTo(keySchema(local));
    }

    /** A table's GSIs by name. */
    private static Map<String, Map<String, Object>> indexes(Map<String, Object> table) {
        return asList(table.get("GlobalSecondaryIndexes")).stream().map(SynthesizedStacks::asMap)
                .collect(Collectors.toMap(i -> i.get("IndexName").toString(), i -> i));
    }

    private static Map<String, String> attributes(CreateTableRequest local) {
        return local.attributeDefinitions().stream()
                .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString()));
    }

    private static Map<String, String> keySchema(CreateTableRequest local) {
        return local.keySchema().stream().collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString()));
    }
}
