package io.waybill.opsapi.aws;

import io.waybill.aws.eventstore.EventItem;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.time.SortableTime;
import io.waybill.opsapi.Page;
import io.waybill.opsapi.ShipmentEventReadModel;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A shipment's events from the event store's {@value EventItem#BY_SUBJECT_INDEX} index (subject = SSCC, sort key =
 * the event time as {@link SortableTime} text): the time range is the key condition, the type a filter expression.
 * The index is eventually consistent: an event stored a moment ago may show on the next request.
 */
public final class DynamoDbShipmentEventReadModel implements ShipmentEventReadModel {
    private static final TableSchema<EventItem> SCHEMA = TableSchema.fromBean(EventItem.class);
    private static final String SUBJECT = SCHEMA.tableMetadata().indexPartitionKey(EventItem.BY_SUBJECT_INDEX);
    private static final String TIME = SCHEMA.tableMetadata().indexSortKey(EventItem.BY_SUBJECT_INDEX).orElseThrow();
    /** A query's last evaluated key on the index: the table's key and the index's. */
    private static final Set<String> KEY = Set.of(SCHEMA.tableMetadata().primaryPartitionKey(), SUBJECT, TIME);

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbShipmentEventReadModel(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Page<StoredEvent> history(String sscc, Filter filter, String pageToken, int limit) {
        String fingerprint = "history|" + sscc + "|" + filter.type() + "|" + filter.from() + "|" + filter.to();
        try {
            return KeyPager.page((start, n) -> {
                QueryResponse r = dynamo.query(request(sscc, filter, start, n));
                return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
            }, DynamoDbShipmentEventReadModel::stored, e -> true, KEY, fingerprint, pageToken, limit);
        } catch (SdkException e) {
            throw new TransientDependencyException("event store " + tableName, e.getMessage(), e);
        }
    }

    @Override
    public List<StoredEvent> first(String sscc, Filter filter, int max) {
        List<StoredEvent> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                QueryResponse r = dynamo.query(request(sscc, filter, start, Math.min(1000, max + 1 - out.size())));
                for (Map<String, AttributeValue> item : r.items()) {
                    out.add(stored(item));
                    if (out.size() > max) {
                        return out;
                    }
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw new TransientDependencyException("event store " + tableName, e.getMessage(), e);
        }
        return out;
    }

    private QueryRequest request(String sscc, Filter filter, Map<String, AttributeValue> start, int limit) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        names.put("#s", SUBJECT);
        values.put(":s", s(sscc));
        StringBuilder key = new StringBuilder("#s = :s");
        if (filter.from() != null || filter.to() != null) {
            names.put("#t", TIME);
        }
        if (filter.from() != null && filter.to() != null) {
            key.append(" AND #t BETWEEN :from AND :to");
        } else if (filter.from() != null) {
            key.append(" AND #t >= :from");
        } else if (filter.to() != null) {
            key.append(" AND #t <= :to");
        }
        put(values, ":from", filter.from());
        put(values, ":to", filter.to());
        QueryRequest.Builder b = QueryRequest.builder().tableName(tableName).indexName(EventItem.BY_SUBJECT_INDEX)
                .keyConditionExpression(key.toString()).scanIndexForward(true).limit(limit)
                .exclusiveStartKey(start);
        if (filter.type() != null) {
            names.put("#ty", "type");
            values.put(":ty", s(filter.type()));
            b.filterExpression("#ty = :ty");
        }
        return b.expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    private static void put(Map<String, AttributeValue> values, String name, Instant t) {
        if (t != null) {
            values.put(name, s(SortableTime.format(t)));
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    static StoredEvent stored(Map<String, AttributeValue> item) {
        EventItem e = SCHEMA.mapToItem(item);
        return new StoredEvent(e.getEventId(), e.getType(), Instant.parse(e.getTime()),
                e.getStoredAtMs() == null ? null : Instant.ofEpochMilli(e.getStoredAtMs()), e.getSource(),
                e.getAdapter(), e.getEventJson());
    }
}
