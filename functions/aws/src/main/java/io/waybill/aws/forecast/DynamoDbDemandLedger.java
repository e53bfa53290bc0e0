package io.waybill.aws.forecast;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.SeriesKey;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The demand ledger in one DynamoDB table, keys {@value #PK} and {@value #SK} (strings), no secondary index:
 * <table>
 *   <tr><th>item</th><th>{@value #PK}</th><th>{@value #SK}</th><th>attributes</th></tr>
 *   <tr><td>content</td><td>{@code shipment#<sscc>}</td><td>{@code item#<sgtin urn>}</td><td>gtin</td></tr>
 *   <tr><td>departure</td><td>{@code shipment#<sscc>}</td><td>{@code departed#<gln>}</td><td>departedAt (N, epoch
 *       ms): the earliest, kept by a conditional update</td></tr>
 *   <tr><td>demand line</td><td>{@code series#<gtin>@<gln>}</td><td>{@code day#<yyyy-MM-dd>#<sscc>}</td><td>epcs (SS,
 *       grown with ADD: a redelivery adds nothing), day, sscc, superseded (BOOL, when an earlier departure moved the
 *       units)</td></tr>
 *   <tr><td>series index</td><td>{@code location#<gln>}</td><td>{@code series#<gtin>}</td><td>gtin, firstDay (the
 *       earliest day with demand, kept by a conditional update)</td></tr>
 *   <tr><td>location index</td><td>{@code locations}</td><td>{@code <gln>}</td><td>-</td></tr>
 * </table>
 * Joins read with consistent queries of one partition. A demand line is one item: its EPC set must stay under the
 * 400 KB item limit (about 9,000 SGTINs of one GTIN in one shipment). Every SDK failure is classified by
 * {@link DependencyFailures}.
 */
public final class DynamoDbDemandLedger implements DemandLedger {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** The local stack's table. */
    public static final String LOCAL_TABLE = "waybill-demand";
    static final String LOCATIONS = "locations";
    private static final int MAX_WRITE_BATCH = 25;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbDemandLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The table's definition (emulators); CDK declares the same keys. */
    public static CreateTableRequest definition(String tableName) {
        return keyed(tableName);
    }

    static CreateTableRequest keyed(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .build();
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    private static String shipment(String sscc) {
        return "shipment#" + sscc;
    }

    static String series(SeriesKey key) {
        return "series#" + key.id();
    }

    private static String lineSk(LocalDate day, String sscc) {
        return "day#" + day + "#" + sscc;
    }

    private RuntimeException failed(String what, SdkException e) {
        return DependencyFailures.classify("demand ledger " + table + " (" + what + ")", e);
    }

    /** Every item of a consistent query, page by page. */
    static List<Map<String, AttributeValue>> queryAll(DynamoDbClient dynamo, Consumer<QueryRequest.Builder> query) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = dynamo.query(b -> {
                query.accept(b);
                b.consistentRead(true).exclusiveStartKey(from);
            });
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private List<Map<String, AttributeValue>> prefix(String pk, String skPrefix, String what) {
        try {
            if (skPrefix.isEmpty()) {
                return queryAll(dynamo, b -> b.tableName(table).keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk))));
            }
            return queryAll(dynamo, b -> b.tableName(table).keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk), ":s",
                            AttributeValue.fromS(skPrefix))));
        } catch (SdkException e) {
            throw failed(what, e);
        }
    }

    @Override
    public void recordContents(String sscc, Map<String, String> gtinByEpc) {
        List<WriteRequest> puts = new ArrayList<>();
        gtinByEpc.forEach((epc, gtin) -> {
            Map<String, AttributeValue> item = new HashMap<>(key(shipment(sscc), "item#" + epc));
            item.put("gtin", AttributeValue.fromS(gtin));
            puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        });
        for (int from = 0; from < puts.size(); from += MAX_WRITE_BATCH) {
            List<WriteRequest> pending = puts.subList(from, Math.min(puts.size(), from + MAX_WRITE_BATCH));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw failed("contents", SdkException.create(pending.size() + " writes stayed unprocessed", null));
                }
                List<WriteRequest> now = pending;
                try {
                    pending = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, now)))
                            .unprocessedItems().getOrDefault(table, List.of());
                } catch (SdkException e) {
                    throw failed("contents", e);
                }
                if (!pending.isEmpty()) {
                    try {
                        Thread.sleep(25L << Math.min(attempt, 5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw failed("contents", SdkException.create("interrupted", e));
                    }
                }
            }
        }
    }

    @Override
    public Map<String, String> contents(String sscc) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, AttributeValue> i : prefix(shipment(sscc), "item#", "contents")) {
            out.put(i.get(SK).s().substring("item#".length()), i.get("gtin").s());
        }
        return out;
    }

    @Override
    public DepartureRecorded recordDeparture(String sscc, String gln, Instant departedAt) {
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(shipment(sscc), "departed#" + gln))
                    .updateExpression("SET departedAt = :t")
                    .conditionExpression("attribute_not_exists(departedAt) OR departedAt >= :t")
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromN(
                            Long.toString(departedAt.toEpochMilli()))))
                    .returnValues(ReturnValue.UPDATED_OLD));
            AttributeValue old = r.hasAttributes() ? r.attributes().get("departedAt") : null;
            Instant before = old == null ? null : Instant.ofEpochMilli(Long.parseLong(old.n()));
            return new DepartureRecorded(true, before != null && before.isAfter(departedAt) ? before : null);
        } catch (ConditionalCheckFailedException earlierKnown) {
            return new DepartureRecorded(false, null);
        } catch (SdkException e) {
            throw failed("departure", e);
        }
    }

    @Override
    public Map<String, Instant> departures(String sscc) {
        Map<String, Instant> out = new TreeMap<>();
        for (Map<String, AttributeValue> i : prefix(shipment(sscc), "departed#", "departures")) {
            out.put(i.get(SK).s().substring("departed#".length()),
                    Instant.ofEpochMilli(Long.parseLong(i.get("departedAt").n())));
        }
        return out;
    }

    @Override
    public int addToLine(SeriesKey key, LocalDate day, String sscc, Set<String> epcs) {
        if (epcs.isEmpty()) {
            return 0;
        }
        int added;
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(series(key), lineSk(day, sscc)))
                    .updateExpression("ADD epcs :e SET #d = :d, sscc = :s")
                    .expressionAttributeNames(Map.of("#d", "day"))
                    .expressionAttributeValues(Map.of(":e", AttributeValue.fromSs(List.copyOf(epcs)),
                            ":d", AttributeValue.fromS(day.toString()), ":s", AttributeValue.fromS(sscc)))
                    .returnValues(ReturnValue.UPDATED_OLD));
            AttributeValue old = r.hasAttributes() ? r.attributes().get("epcs") : null;
            Set<String> fresh = new HashSet<>(epcs);
            if (old != null) {
                old.ss().forEach(fresh::remove);
            }
            added = fresh.size();
        } catch (SdkException e) {
            throw failed("demand line", e);
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key("location#" + key.locationGln(), "series#" + key.gtin()))
                    .updateExpression("SET firstDay = :d, gtin = :g")
                    .conditionExpression("attribute_not_exists(firstDay) OR firstDay > :d")
                    .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(day.toString()),
                            ":g", AttributeValue.fromS(key.gtin()))));
        } catch (ConditionalCheckFailedException earlierKnown) {
            // the series was seen on an earlier day
        } catch (SdkException e) {
            throw failed("series index", e);
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(key(LOCATIONS, key.locationGln())));
        } catch (SdkException e) {
            throw failed("location index", e);
        }
        return added;
    }

    @Override
    public void supersedeLine(SeriesKey key, LocalDate day, String sscc) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(series(key), lineSk(day, sscc)))
                    .updateExpression("SET superseded = :t, #d = :d, sscc = :s")
                    .expressionAttributeNames(Map.of("#d", "day"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true),
                            ":d", AttributeValue.fromS(day.toString()), ":s", AttributeValue.fromS(sscc))));
        } catch (SdkException e) {
            throw failed("supersede line", e);
        }
    }

    @Override
    public List<DemandLine> lines(SeriesKey key, LocalDate from, LocalDate toExclusive) {
        if (!from.isBefore(toExclusive)) {
            return List.of();
        }
        List<Map<String, AttributeValue>> items;
        try {
            items = queryAll(dynamo, b -> b.tableName(table).keyConditionExpression("pk = :p AND sk BETWEEN :a AND :b")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(series(key)),
                            ":a", AttributeValue.fromS("day#" + from),
                            ":b", AttributeValue.fromS("day#" + toExclusive.minusDays(1) + "#~"))));
        } catch (SdkException e) {
            throw failed("demand lines", e);
        }
        List<DemandLine> out = new ArrayList<>(items.size());
        for (Map<String, AttributeValue> i : items) {
            AttributeValue epcs = i.get("epcs");
            AttributeValue superseded = i.get("superseded");
            out.add(new DemandLine(key, LocalDate.parse(i.get("day").s()), i.get("sscc").s(),
                    epcs == null ? Set.of() : new HashSet<>(epcs.ss()),
                    superseded != null && Boolean.TRUE.equals(superseded.bool())));
        }
        return out;
    }

    @Override
    public Optional<LocalDate> firstDemand(SeriesKey key) {
        try {
            Map<String, AttributeValue> i = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(key("location#" + key.locationGln(), "series#" + key.gtin()))).item();
            return i == null || !i.containsKey("firstDay") ? Optional.empty()
                    : Optional.of(LocalDate.parse(i.get("firstDay").s()));
        } catch (SdkException e) {
            throw failed("first demand", e);
        }
    }

    @Override
    public List<String> locations() {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : prefix(LOCATIONS, "", "locations")) {
            out.add(i.get(SK).s());
        }
        return out;
    }

    @Override
    public List<SeriesKey> series(String locationGln) {
        List<SeriesKey> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : prefix("location#" + locationGln, "series#", "series")) {
            out.add(new SeriesKey(i.get(SK).s().substring("series#".length()), locationGln));
        }
        return out;
    }
}
