package io.waybill.aws.epcis;

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
 * The EPCIS table's contract (the CDK construct declares the same): key {@value #PK} + {@value #SK} (strings), one
 * GSI {@value #QUERY_INDEX} on {@value #QPK} + {@value #QSK} projecting all attributes, TTL on {@value #EXPIRES_AT}
 * (epoch seconds; capture jobs only).
 *
 * <table>
 * <caption>Item layouts</caption>
 * <tr><th>item</th><th>{@value #PK}</th><th>{@value #SK}</th><th>{@value #QPK} / {@value #QSK}</th></tr>
 * <tr><td>event</td><td>{@code EVENT#<key>}</td><td>{@code EVENT}</td><td>none</td></tr>
 * <tr><td>index entry, one per value the event is found by</td><td>{@code EVENT#<key>}</td>
 *     <td>{@code IX#<qpk>#<qsk>}</td><td>{@code all}, {@code type#<eventType>}, {@code epc#<canonical EPC>},
 *     {@code step#<bizStep>}, {@code loc#<bizLocation>} / {@code <eventTime UTC, 9 fraction digits>#<key>}</td></tr>
 * <tr><td>capture job</td><td>{@code JOB#<captureId>}</td><td>{@code JOB}</td>
 *     <td>{@code jobs#<partner>} / {@code <createdAt>#<captureId>}</td></tr>
 * </table>
 */
public final class EpcisTables {
    /** The environment variable naming the table (the ops API's). */
    public static final String ENV_TABLE = "WAYBILL_EPCIS_TABLE";
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String QUERY_INDEX = "query";
    public static final String QPK = "qpk";
    public static final String QSK = "qsk";
    public static final String EXPIRES_AT = "expiresAt";

    private EpcisTables() {
    }

    /** The table's definition (emulators); the CDK stack declares the same keys, index and TTL attribute. */
    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(string(PK), string(SK), string(QPK), string(QSK))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(QUERY_INDEX)
                        .keySchema(key(QPK, KeyType.HASH), key(QSK, KeyType.RANGE))
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
