package io.waybill.aws.ops;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ops.ConsumerWatermarks;
import io.waybill.domain.time.SortableTime;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The consumer watermarks table: one item per consumer, key {@value #CONSUMER} (string), attributes
 * {@value #LAST_ARRIVAL} ({@link SortableTime}, so that text order is time order) and {@value #LAST_PROCESSED_AT}
 * (ISO-8601); items keyed {@code source#...} are {@link DynamoDbSourceWatermarks}' and are skipped here.
 * {@link #advance} is one conditional PutItem (newer wins); {@link #all} one Scan of at most
 * {@value #MAX_ITEMS} items (the table holds one per consumer).
 */
public final class DynamoDbConsumerWatermarks implements ConsumerWatermarks {
    public static final String CONSUMER = "consumer";
    public static final String LAST_ARRIVAL = "lastArrival";
    public static final String LAST_PROCESSED_AT = "lastProcessedAt";
    /** The local stack's table. */
    public static final String LOCAL_TABLE = "waybill-consumer-watermarks";
    static final int MAX_ITEMS = 100;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbConsumerWatermarks(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The table's definition (emulators); CDK's {@code ConsumerWatermarkTable} declares the same key. */
    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(CONSUMER)
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(CONSUMER).keyType(KeyType.HASH).build())
                .build();
    }

    @Override
    public void advance(String consumer, Instant lastArrival, Instant processedAt) {
        String arrival = SortableTime.format(lastArrival);
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(CONSUMER, AttributeValue.fromS(consumer), LAST_ARRIVAL, AttributeValue.fromS(arrival),
                            LAST_PROCESSED_AT, AttributeValue.fromS(processedAt.toString())))
                    .conditionExpression("attribute_not_exists(#a) OR #a < :a")
                    .expressionAttributeNames(Map.of("#a", LAST_ARRIVAL))
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(arrival))));
        } catch (ConditionalCheckFailedException e) {
            // as new or newer already
        } catch (SdkException e) {
            throw DependencyFailures.classify("consumer watermarks " + table, e);
        }
    }

    @Override
    public List<Watermark> all() {
        ScanResponse r;
        try {
            r = dynamo.scan(b -> b.tableName(table).limit(MAX_ITEMS));
        } catch (SdkException e) {
            throw DependencyFailures.classify("consumer watermarks " + table, e);
        }
        List<Watermark> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : r.items()) {
            if (i.containsKey(LAST_ARRIVAL) && i.containsKey(LAST_PROCESSED_AT)
                    && !i.get(CONSUMER).s().startsWith(DynamoDbSourceWatermarks.KEY_PREFIX)) {
                out.add(new Watermark(i.get(CONSUMER).s(), Instant.parse(i.get(LAST_ARRIVAL).s()),
                        Instant.parse(i.get(LAST_PROCESSED_AT).s())));
            }
        }
        out.sort(Comparator.comparing(Watermark::consumer));
        return out;
    }
}
