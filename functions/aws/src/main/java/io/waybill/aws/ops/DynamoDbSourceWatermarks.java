package io.waybill.aws.ops;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ops.SourceWatermarks;
import io.waybill.domain.time.SortableTime;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sources' marks, kept in the consumer watermarks table ({@link DynamoDbConsumerWatermarks}) in a key space of
 * their own: key {@value DynamoDbConsumerWatermarks#CONSUMER} = {@value #KEY_PREFIX}{@code <source>}, attributes
 * {@value #LAST_EVENT_AT} ({@link SortableTime}, text order is time order) and, when known, {@value #LAST_ARRIVAL_AT}
 * (ISO-8601). One table, so a function that records consumer marks needs no other grant (PutItem on that table) and
 * {@code /health} reads both with the Scan it already makes. {@link #advance} is one conditional PutItem (newer event
 * time wins); {@link #all} one Scan filtered to the prefix.
 */
public final class DynamoDbSourceWatermarks implements SourceWatermarks {
    /** The key prefix that keeps source marks apart from consumer marks. */
    public static final String KEY_PREFIX = "source#";
    public static final String LAST_EVENT_AT = "lastEventAt";
    public static final String LAST_ARRIVAL_AT = "lastArrivalAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbSourceWatermarks(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public void advance(Mark mark) {
        String at = SortableTime.format(mark.lastEventAt());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DynamoDbConsumerWatermarks.CONSUMER, AttributeValue.fromS(KEY_PREFIX + mark.source()));
        item.put(LAST_EVENT_AT, AttributeValue.fromS(at));
        if (mark.lastArrivalAt() != null) {
            item.put(LAST_ARRIVAL_AT, AttributeValue.fromS(mark.lastArrivalAt().toString()));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#e) OR #e < :e")
                    .expressionAttributeNames(Map.of("#e", LAST_EVENT_AT))
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromS(at))));
        } catch (ConditionalCheckFailedException e) {
            // as new or newer already
        } catch (SdkException e) {
            throw DependencyFailures.classify("source watermarks " + table, e);
        }
    }

    @Override
    public List<Mark> all() {
        List<Mark> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse r;
            try {
                r = dynamo.scan(b -> b.tableName(table)
                        .filterExpression("begins_with(#k, :p)")
                        .expressionAttributeNames(Map.of("#k", DynamoDbConsumerWatermarks.CONSUMER))
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(KEY_PREFIX)))
                        .exclusiveStartKey(from));
            } catch (SdkException e) {
                throw DependencyFailures.classify("source watermarks " + table, e);
            }
            for (Map<String, AttributeValue> i : r.items()) {
                if (i.containsKey(LAST_EVENT_AT)) {
                    AttributeValue arrival = i.get(LAST_ARRIVAL_AT);
                    out.add(new Mark(i.get(DynamoDbConsumerWatermarks.CONSUMER).s().substring(KEY_PREFIX.length()),
                            Instant.parse(i.get(LAST_EVENT_AT).s()),
                            arrival == null ? null : Instant.parse(arrival.s())));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        out.sort(Comparator.comparing(Mark::source));
        return out;
    }
}
