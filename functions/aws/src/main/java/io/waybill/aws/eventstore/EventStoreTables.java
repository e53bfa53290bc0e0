package io.waybill.aws.eventstore;

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
 * The two tables' definitions, with key names taken from the item beans' table schemas so they cannot drift from
 * the code that writes them. Used to create tables on the local emulators and on LocalStack; the CDK stack
 * declares the same keys for AWS (with PAY_PER_REQUEST, point-in-time recovery and encryption).
 */
public final class EventStoreTables {
    private EventStoreTables() {
    }

    /** Events: hash key {@code eventKey}; GSI {@code bySubject} (subject, time) for a shipment's history. */
    public static CreateTableRequest events(String tableName) {
        String pk = DynamoDbEventLedger.SCHEMA.tableMetadata().primaryPartitionKey();
        String indexPk = DynamoDbEventLedger.SCHEMA.tableMetadata().indexPartitionKey(EventItem.BY_SUBJECT_INDEX);
        String indexSk = DynamoDbEventLedger.SCHEMA.tableMetadata().indexSortKey(EventItem.BY_SUBJECT_INDEX).orElseThrow();
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(pk), string(indexPk), string(indexSk))
                .keySchema(key(pk, KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(EventItem.BY_SUBJECT_INDEX)
                        .keySchema(key(indexPk, KeyType.HASH), key(indexSk, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build();
    }

    /** Shipments: hash key {@code shipmentSscc}; GSI {@code byStatus} (status, shipmentSscc) for a list by status. */
    public static CreateTableRequest shipments(String tableName) {
        String pk = DynamoDbShipmentStateStore.SCHEMA.tableMetadata().primaryPartitionKey();
        String indexPk = DynamoDbShipmentStateStore.SCHEMA.tableMetadata().indexPartitionKey(ShipmentItem.BY_STATUS_INDEX);
        String indexSk = DynamoDbShipmentStateStore.SCHEMA.tableMetadata().indexSortKey(ShipmentItem.BY_STATUS_INDEX)
                .orElseThrow();
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(pk), string(indexPk)).keySchema(key(pk, KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(ShipmentItem.BY_STATUS_INDEX)
                        .keySchema(key(indexPk, KeyType.HASH), key(indexSk, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
