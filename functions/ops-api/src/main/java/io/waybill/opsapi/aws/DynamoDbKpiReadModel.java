package io.waybill.opsapi.aws;

import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.kpi.FacilityAggregate;
import io.waybill.domain.kpi.Lane;
import io.waybill.domain.kpi.LaneAggregate;
import io.waybill.opsapi.KpiReadModel;
import io.waybill.opsapi.Page;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The KPI aggregates table ({@link DynamoDbKpiAggregates}) paged: a Query of partition {@code LANE} or
 * {@code FACILITY} (sort key order: origin then destination, or GLN), through {@link KeyPager}. Filters become key
 * conditions where the key allows: origin and destination name one sort key, origin alone a {@code begins_with}, a GLN
 * one sort key; a destination alone is filtered while reading (at most {@code KeyPager}'s rounds per request). Reads
 * are eventually consistent: a fold of a moment ago may not show yet.
 */
public final class DynamoDbKpiReadModel implements KpiReadModel {
    private static final Set<String> KEY = Set.of(DynamoDbKpiAggregates.PK, DynamoDbKpiAggregates.SK);

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbKpiReadModel(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Page<LaneAggregate> lanes(String origin, String destination, String pageToken, int limit) {
        String sk = null;
        String prefix = null;
        if (origin != null && destination != null) {
            sk = new Lane(origin, destination).label();
        } else if (origin != null) {
            prefix = origin + Lane.SEPARATOR;
        }
        return page(DynamoDbKpiAggregates.LANE, sk, prefix, DynamoDbKpiAggregates::lane,
                a -> a.legs() > 0 && (destination == null || destination.equals(a.lane().destinationGln())),
                "lanes|" + origin + "|" + destination, pageToken, limit);
    }

    @Override
    public Page<FacilityAggregate> facilities(String gln, String pageToken, int limit) {
        return page(DynamoDbKpiAggregates.FACILITY, gln, null, DynamoDbKpiAggregates::facility,
                a -> a.shipmentsArrived() + a.shipmentsDeparted() > 0, "facilities|" + gln, pageToken, limit);
    }

    private <T> Page<T> page(String pk, String sk, String skPrefix, Function<Map<String, AttributeValue>, T> map,
                             Predicate<T> keep, String fingerprint, String pageToken, int limit) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", DynamoDbKpiAggregates.PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", AttributeValue.fromS(pk)));
        String condition = "#pk = :pk";
        if (sk != null) {
            names.put("#sk", DynamoDbKpiAggregates.SK);
            values.put(":sk", AttributeValue.fromS(sk));
            condition += " AND #sk = :sk";
        } else if (skPrefix != null) {
            names.put("#sk", DynamoDbKpiAggregates.SK);
            values.put(":sk", AttributeValue.fromS(skPrefix));
            condition += " AND begins_with(#sk, :sk)";
        }
        String keyCondition = condition;
        try {
            return KeyPager.page((start, n) -> {
                QueryResponse r = dynamo.query(b -> b.tableName(tableName).keyConditionExpression(keyCondition)
                        .expressionAttributeNames(names).expressionAttributeValues(values).limit(n)
                        .exclusiveStartKey(start));
                return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
            }, map, keep, KEY, fingerprint, pageToken, limit);
        } catch (SdkException e) {
            throw new TransientDependencyException("kpi aggregates " + tableName, e.getMessage(), e);
        }
    }
}
