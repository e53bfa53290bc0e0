package io.waybill.aws.coldchain;

import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The cold-chain function's three tables, with key names taken from the item beans so they cannot drift: used to
 * create them on the local emulators and LocalStack, and compared by the CDK tests.
 */
public final class ColdChainTables {
    private ColdChainTables() {
    }

    public static TableSchema<EvidenceItem> exposureSchema() {
        return DynamoDbEvidenceStore.SCHEMA;
    }

    public static TableSchema<IncidentItem> incidentSchema() {
        return DynamoDbIncidentStore.SCHEMA;
    }

    public static TableSchema<ComplianceItem> complianceSchema() {
        return DynamoDbComplianceStore.SCHEMA;
    }

    /**
     * Exposure: hash {@code shipmentSscc}, range {@code recordKey}; sparse GSI {@code byPendingBreach}
     * (pendingBreach, shipmentSscc), keys only.
     */
    public static CreateTableRequest exposure(String tableName) {
        var meta = DynamoDbEvidenceStore.SCHEMA.tableMetadata();
        String pending = meta.indexPartitionKey(EvidenceItem.BY_PENDING_BREACH_INDEX);
        CreateTableRequest base = hashAndRange(tableName, DynamoDbEvidenceStore.SCHEMA);
        return base.toBuilder()
                .attributeDefinitions(java.util.stream.Stream.concat(base.attributeDefinitions().stream(),
                        java.util.stream.Stream.of(string(pending))).toList())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(EvidenceItem.BY_PENDING_BREACH_INDEX)
                        .keySchema(key(pending, KeyType.HASH), key(meta.indexSortKey(
                                EvidenceItem.BY_PENDING_BREACH_INDEX).orElseThrow(), KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .build();
    }

    /** Compliance: hash {@code shipmentSscc}, range {@code recordId}. */
    public static CreateTableRequest compliance(String tableName) {
        return hashAndRange(tableName, DynamoDbComplianceStore.SCHEMA);
    }

    /**
     * Incidents: hash {@code incidentId}; GSI {@code byShipment} (shipmentSscc, openedAt) and GSI {@code byStatus}
     * (status, openedAt).
     */
    public static CreateTableRequest incidents(String tableName) {
        var meta = DynamoDbIncidentStore.SCHEMA.tableMetadata();
        String pk = meta.primaryPartitionKey();
        String byShipment = meta.indexPartitionKey(IncidentItem.BY_SHIPMENT_INDEX);
        String byStatus = meta.indexPartitionKey(IncidentItem.BY_STATUS_INDEX);
        String openedAt = meta.indexSortKey(IncidentItem.BY_SHIPMENT_INDEX).orElseThrow();
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(pk), string(byShipment), string(byStatus), string(openedAt))
                .keySchema(key(pk, KeyType.HASH))
                .globalSecondaryIndexes(index(IncidentItem.BY_SHIPMENT_INDEX, byShipment, openedAt),
                        index(IncidentItem.BY_STATUS_INDEX, byStatus, openedAt))
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }

    private static CreateTableRequest hashAndRange(String tableName, TableSchema<?> schema) {
        String pk = schema.tableMetadata().primaryPartitionKey();
        String sk = schema.tableMetadata().primarySortKey().orElseThrow();
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(pk), string(sk))
                .keySchema(key(pk, KeyType.HASH), key(sk, KeyType.RANGE)).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
