package io.waybill.aws.forecast;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.DemandHistoryBuilder;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastReadModel;
import io.waybill.domain.forecast.ForecastStore;
import io.waybill.domain.forecast.ReorderRecommendation;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Forecasts and their accuracy in one DynamoDB table, keys {@value #PK} and {@value #SK} (strings), no secondary
 * index; series and history are read from the demand ledger:
 * <table>
 *   <tr><th>item</th><th>{@value #PK}</th><th>{@value #SK}</th><th>attributes</th></tr>
 *   <tr><td>forecast</td><td>{@code series#<gtin>@<gln>}</td><td>{@code forecast#<firstDay yyyy-MM-dd>}</td><td>
 *       firstDay, horizonDays, issuedAt, modelName, modelVersion, method, mean (L of N), quantiles (M: "0.1" to L of
 *       N), serviceLevel, leadTimeDays, leadTimeDemandMean, reorderPoint, safetyStock, reorderBasis, maseScale,
 *       historyDays; scoredAt once scored. A rerun for the same first day replaces it (same key).</td></tr>
 *   <tr><td>accuracy</td><td>{@code series#<gtin>@<gln>}</td><td>{@code accuracy#<firstDay>}</td><td>daysCompared,
 *       mase (absent when undefined), bias, scoredAt; written once (conditional put).</td></tr>
 * </table>
 */
public final class DynamoDbForecastStore implements ForecastStore, ForecastReadModel {
    public static final String PK = DynamoDbDemandLedger.PK;
    public static final String SK = DynamoDbDemandLedger.SK;
    /** The local stack's table. */
    public static final String LOCAL_TABLE = "waybill-forecasts";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DemandLedger demand;
    private final DemandHistoryBuilder histories;

    public DynamoDbForecastStore(DynamoDbClient dynamo, String table, DemandLedger demand) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.demand = Objects.requireNonNull(demand, "demand");
        this.histories = new DemandHistoryBuilder(demand);
    }

    /** The table's definition (emulators); CDK declares the same keys. */
    public static CreateTableRequest definition(String tableName) {
        return DynamoDbDemandLedger.keyed(tableName);
    }

    private RuntimeException failed(String what, SdkException e) {
        return DependencyFailures.classify("forecast store " + table + " (" + what + ")", e);
    }

    private static AttributeValue numbers(double[] values) {
        List<AttributeValue> l = new ArrayList<>(values.length);
        for (double v : values) {
            l.add(AttributeValue.fromN(Double.toString(v)));
        }
        return AttributeValue.fromL(l);
    }

    private static double[] numbers(AttributeValue a) {
        double[] out = new double[a.l().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.parseDouble(a.l().get(i).n());
        }
        return out;
    }

    private static AttributeValue n(double v) {
        return AttributeValue.fromN(Double.toString(v));
    }

    @Override
    public void put(StoredForecast f) {
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbDemandLedger.key(DynamoDbDemandLedger.series(f.key()),
                "forecast#" + f.firstDay()));
        item.put("firstDay", AttributeValue.fromS(f.firstDay().toString()));
        item.put("horizonDays", AttributeValue.fromN(Integer.toString(f.horizonDays())));
        item.put("horizonEnd", AttributeValue.fromS(f.firstDay().plusDays(f.horizonDays()).toString()));
        item.put("issuedAt", AttributeValue.fromS(f.issuedAt().toString()));
        item.put("modelName", AttributeValue.fromS(f.modelName()));
        item.put("modelVersion", AttributeValue.fromS(f.modelVersion()));
        if (f.method() != null) {
            item.put("method", AttributeValue.fromS(f.method()));
        }
        item.put("mean", numbers(f.mean()));
        Map<String, AttributeValue> q = new TreeMap<>();
        f.quantiles().forEach((level, values) -> q.put(level, numbers(values)));
        item.put("quantiles", AttributeValue.fromM(q));
        ReorderRecommendation r = f.reorder();
        item.put("serviceLevel", n(r.serviceLevel()));
        item.put("leadTimeDays", AttributeValue.fromN(Integer.toString(r.leadTimeDays())));
        item.put("leadTimeDemandMean", n(r.leadTimeDemandMean()));
        item.put("reorderPoint", n(r.reorderPoint()));
        item.put("safetyStock", n(r.safetyStock()));
        item.put("reorderBasis", AttributeValue.fromS(r.basis()));
        item.put("maseScale", n(f.maseScale()));
        item.put("historyDays", AttributeValue.fromN(Integer.toString(f.historyDays())));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw failed("put forecast", e);
        }
    }

    private static StoredForecast forecast(SeriesKey key, Map<String, AttributeValue> i) {
        SortedMap<String, double[]> q = new TreeMap<>();
        i.get("quantiles").m().forEach((level, values) -> q.put(level, numbers(values)));
        ReorderRecommendation r = new ReorderRecommendation(Double.parseDouble(i.get("serviceLevel").n()),
                Integer.parseInt(i.get("leadTimeDays").n()), Double.parseDouble(i.get("leadTimeDemandMean").n()),
                Double.parseDouble(i.get("reorderPoint").n()), Double.parseDouble(i.get("safetyStock").n()),
                i.get("reorderBasis").s());
        return new StoredForecast(key, LocalDate.parse(i.get("firstDay").s()), Instant.parse(i.get("issuedAt").s()),
                i.get("modelName").s(), i.get("modelVersion").s(), i.containsKey("method") ? i.get("method").s() : null,
                numbers(i.get("mean")), q, r, Double.parseDouble(i.get("maseScale").n()),
                Integer.parseInt(i.get("historyDays").n()));
    }

    @Override
    public List<StoredForecast> dueForScoring(SeriesKey key, LocalDate asOf) {
        List<StoredForecast> out = new ArrayList<>();
        try {
            for (Map<String, AttributeValue> i : DynamoDbDemandLedger.queryAll(dynamo, b -> b.tableName(table)
                    .keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                    .filterExpression("attribute_not_exists(scoredAt) AND horizonEnd <= :a")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DynamoDbDemandLedger.series(key)),
                            ":s", AttributeValue.fromS("forecast#"), ":a", AttributeValue.fromS(asOf.toString()))))) {
                out.add(forecast(key, i));
            }
        } catch (SdkException e) {
            throw failed("due for scoring", e);
        }
        return out;
    }

    @Override
    public boolean recordAccuracy(ForecastAccuracy a) {
        String pk = DynamoDbDemandLedger.series(a.key());
        Map<String, AttributeValue> item = new HashMap<>(DynamoDbDemandLedger.key(pk, "accuracy#" + a.firstDay()));
        item.put("firstDay", AttributeValue.fromS(a.firstDay().toString()));
        item.put("daysCompared", AttributeValue.fromN(Integer.toString(a.daysCompared())));
        if (Double.isFinite(a.mase())) {
            item.put("mase", n(a.mase()));
        }
        if (Double.isFinite(a.bias())) {
            item.put("bias", n(a.bias()));
        }
        String now = Instant.now().toString();
        item.put("scoredAt", AttributeValue.fromS(now));
        boolean first;
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            first = true;
        } catch (ConditionalCheckFailedException scored) {
            first = false;
        } catch (SdkException e) {
            throw failed("record accuracy", e);
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(DynamoDbDemandLedger.key(pk, "forecast#" + a.firstDay()))
                    .updateExpression("SET scoredAt = :t").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(now))));
        } catch (ConditionalCheckFailedException gone) {
            // nothing to mark
        } catch (SdkException e) {
            throw failed("mark scored", e);
        }
        return first;
    }

    // ---- the read model ----------------------------------------------------------------------------------------

    @Override
    public List<SeriesKey> series(String locationGln, String afterId, int limit) {
        List<SeriesKey> all = new ArrayList<>();
        for (String gln : locationGln == null ? demand.locations() : List.of(locationGln)) {
            all.addAll(demand.series(gln));
        }
        all.sort(Comparator.comparing(SeriesKey::id));
        List<SeriesKey> out = new ArrayList<>();
        for (SeriesKey k : all) {
            if ((afterId == null || k.id().compareTo(afterId) > 0) && out.size() < limit) {
                out.add(k);
            }
        }
        return out;
    }

    @Override
    public DemandHistory history(SeriesKey key, LocalDate from, LocalDate toInclusive) {
        return histories.build(key, from, toInclusive.plusDays(1));
    }

    private List<Map<String, AttributeValue>> newest(SeriesKey key, String prefix, int limit) {
        try {
            QueryResponse r = dynamo.query(b -> b.tableName(table).consistentRead(true).scanIndexForward(false)
                    .limit(limit).keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(DynamoDbDemandLedger.series(key)),
                            ":s", AttributeValue.fromS(prefix))));
            return r.items();
        } catch (SdkException e) {
            throw failed("read " + prefix, e);
        }
    }

    @Override
    public Optional<StoredForecast> latest(SeriesKey key) {
        List<Map<String, AttributeValue>> items = newest(key, "forecast#", 1);
        return items.isEmpty() ? Optional.empty() : Optional.of(forecast(key, items.get(0)));
    }

    @Override
    public List<ForecastAccuracy> accuracy(SeriesKey key, int limit) {
        List<ForecastAccuracy> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : newest(key, "accuracy#", limit)) {
            out.add(new ForecastAccuracy(key, LocalDate.parse(i.get("firstDay").s()),
                    Integer.parseInt(i.get("daysCompared").n()),
                    i.containsKey("mase") ? Double.parseDouble(i.get("mase").n()) : Double.NaN,
                    i.containsKey("bias") ? Double.parseDouble(i.get("bias").n()) : Double.NaN));
        }
        return out;
    }
}
