package io.waybill.aws.deadletter;

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
 * The dead-letter desk table's definition ({@link DynamoDbDeadLetterDesk}): used on the local emulators and
 * LocalStack; CDK's {@code DeadLetterQueues} declares the same keys and index on AWS.
 */
public final class DeadLetterDeskTables {
    private DeadLetterDeskTables() {
    }

    /** Hash key {@code id}; GSI {@code byReason} (reason, deadLetteredAt), all attributes projected. */
    public static CreateTableRequest desk(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(DynamoDbDeadLetterDesk.ID), string(DynamoDbDeadLetterDesk.REASON),
                        string(DynamoDbDeadLetterDesk.DEAD_LETTERED_AT))
                .keySchema(key(DynamoDbDeadLetterDesk.ID, KeyType.HASH))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(DynamoDbDeadLetterDesk.BY_REASON_INDEX)
                        .keySchema(key(DynamoDbDeadLetterDesk.REASON, KeyType.HASH),
                                key(DynamoDbDeadLetterDesk.DEAD_LETTERED_AT, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
