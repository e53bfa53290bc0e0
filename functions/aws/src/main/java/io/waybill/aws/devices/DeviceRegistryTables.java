package io.waybill.aws.devices;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The device registry table's definition, keys taken from the item bean's schema. Used on the local emulators and
 * LocalStack; CDK's {@code DeviceRegistry} declares the same keys on AWS.
 */
public final class DeviceRegistryTables {
    /** The local stack's registry table. */
    public static final String LOCAL_TABLE = "waybill-devices";

    private DeviceRegistryTables() {
    }

    /** Hash key {@code pk}, range key {@code sk}, both strings. */
    public static CreateTableRequest registry(String tableName) {
        String pk = DynamoDbDeviceRegistry.SCHEMA.tableMetadata().primaryPartitionKey();
        String sk = DynamoDbDeviceRegistry.SCHEMA.tableMetadata().primarySortKey().orElseThrow();
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(pk), string(sk))
                .keySchema(KeySchemaElement.builder().attributeName(pk).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(sk).keyType(KeyType.RANGE).build())
                .build();
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }
}
