package io.waybill.aws.kpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.kpi.DurationSketch;
import io.waybill.domain.kpi.FacilityAggregate;
import io.waybill.domain.kpi.Lane;
import io.waybill.domain.kpi.LaneAggregate;
import io.waybill.domain.kpi.Movement;
import io.waybill.domain.kpi.ShipmentFold;
import io.waybill.domain.kpi.ShipmentMovements;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The incremental KPIs' table (issue 12): one item per shipment (its movements, {@link ShipmentMovements}), one per
 * lane and one per facility (counts and a {@link DurationSketch}), one of network totals. Keys: partition {@code pk},
 * sort {@code sk}.
 *
 * <table>
 * <caption>Items</caption>
 * <tr><th>pk</th><th>sk</th><th>attributes</th></tr>
 * <tr><td>{@code SHIPMENT#<sscc>}</td><td>{@code MOVEMENTS}</td><td>{@code movements} (JSON), {@code version},
 *     {@code pendingFrom} while a fold is being applied</td></tr>
 * <tr><td>{@code LANE}</td><td>{@code <origin>-><destination>}</td><td>{@code origin}, {@code destination},
 *     {@code shipments}, {@code legs}, {@code inTransit}, {@code unobserved}, {@code sketch} (binary), {@code version},
 *     {@code applied}</td></tr>
 * <tr><td>{@code FACILITY}</td><td>GLN</td><td>{@code arrived}, {@code departed}, {@code present}, {@code sketch},
 *     {@code version}, {@code applied}</td></tr>
 * <tr><td>{@code NETWORK}</td><td>{@code TOTALS}</td><td>{@code shipments}, {@code movements}, {@code version}, {@code applied}</td></tr>
 * </table>
 *
 * <p><b>Folding</b> ({@link #fold}), with single-item conditional writes only (DynamoDB transactions would do it in
 * one step, but the local emulator, dynalite, has none, and the local stack must run the code Lambda runs):
 * <ol>
 * <li>read the shipment's item and fold the batch's movements into it ({@link ShipmentFold}); when nothing changed (a
 *     resend, a replay) stop: nothing is written;</li>
 * <li>put the new state with the old one as {@code pendingFrom}, conditional on the version read: the state is now
 *     committed and its difference is owed;</li>
 * <li>apply the difference to each lane, facility and the network totals, each by a conditional put on the
 *     aggregate's version that also adds the fold's token ({@code <sscc>#<version>}) to its {@code applied} set; an
 *     aggregate that already holds the token is skipped, so a difference lands once even when a crash or a concurrent
 *     fold makes this step run twice;</li>
 * <li>remove {@code pendingFrom} (conditional on the version), then the tokens.</li>
 * </ol>
 * A fold that finds {@code pendingFrom} on the shipment finishes that fold first. A crash between the last two steps
 * leaves a token behind: a few bytes, never matched again (versions only grow).
 *
 * <p><b>Reading</b> ({@link #lanes}, {@link #facilities}, {@link #totals}): one Query per item type, O(lanes +
 * facilities) items, whatever the number of stored events.
 */
public final class DynamoDbKpiAggregates {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** Partition key of the lane items (sort key {@code <origin>-><destination>}). */
    public static final String LANE = "LANE";
    /** Partition key of the facility items (sort key the GLN). */
    public static final String FACILITY = "FACILITY";
    static final String NETWORK = "NETWORK";
    static final String TOTALS = "TOTALS";
    static final String MOVEMENTS = "MOVEMENTS";
    static final String MOVEMENTS_ATTRIBUTE = "movements";
    static final String PENDING_FROM = "pendingFrom";
    static final String APPLIED = "applied";
    static final String VERSION = "version";
    /** Optimistic retries of one shipment's fold before giving up (a transient failure: the batch is redelivered). */
    public static final int MAX_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbKpiAggregates(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The table's definition (emulators); the CDK stack declares the same keys. */
    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .build();
    }

    /** Folds one shipment's movements; true when something changed. */
    public boolean fold(String sscc, Collection<Movement> movements) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = get(shipmentKey(sscc));
            long version = version(item);
            if (item != null && item.containsKey(PENDING_FROM)) {
                complete(sscc, item); // a fold that stopped half-way: finish it first
                continue;
            }
            ShipmentMovements before = item == null ? ShipmentMovements.none(sscc)
                    : readMovements(sscc, item.get(MOVEMENTS_ATTRIBUTE).s());
            ShipmentFold fold = ShipmentFold.of(before, movements);
            if (!fold.changed()) {
                return false;
            }
            Map<String, AttributeValue> next = new HashMap<>(shipmentKey(sscc));
            next.put(MOVEMENTS_ATTRIBUTE, AttributeValue.fromS(writeMovements(fold.after())));
            next.put(PENDING_FROM, AttributeValue.fromS(writeMovements(before)));
            try {
                conditionalPut(next, version);
            } catch (ConditionalCheckFailedException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                continue; // another fold of this shipment got there first: fold onto its state
            }
            complete(sscc, next);
            return true;
        }
    }

    /**
     * Applies a committed shipment state's difference ({@code pendingFrom} -> {@code movements}) to every aggregate
     * it changes, each at most once (the fold's token in the aggregate's {@code applied} set), then clears the
     * pending mark and the tokens.
     */
    private void complete(String sscc, Map<String, AttributeValue> shipmentItem) {
        long version = version(shipmentItem);
        String token = sscc + "#" + version;
        ShipmentMovements before = readMovements(sscc, shipmentItem.get(PENDING_FROM).s());
        ShipmentMovements after = readMovements(sscc, shipmentItem.get(MOVEMENTS_ATTRIBUTE).s());
        ShipmentFold fold = new ShipmentFold(before, after);
        ShipmentFold.Delta delta = fold.delta();
        List<Map<String, AttributeValue>> touched = new ArrayList<>();
        delta.lanes().forEach((lane, parts) -> {
            Map<String, AttributeValue> key = key(LANE, lane.label());
            touched.add(key);
            applyOnce(key, token, item -> {
                LaneAggregate a = item == null ? LaneAggregate.empty(lane) : lane(item);
                a.replace(parts[0], parts[1]);
                return laneItem(a);
            });
        });
        delta.facilities().forEach((gln, parts) -> {
            Map<String, AttributeValue> key = key(FACILITY, gln);
            touched.add(key);
            applyOnce(key, token, item -> {
                FacilityAggregate a = item == null ? FacilityAggregate.empty(gln) : facility(item);
                a.replace(parts[0], parts[1]);
                return facilityItem(a);
            });
        });
        Map<String, AttributeValue> networkKey = key(NETWORK, TOTALS);
        touched.add(networkKey);
        applyOnce(networkKey, token, item -> {
            Map<String, AttributeValue> totals = new HashMap<>();
            totals.put("shipments", n((item == null ? 0 : num(item, "shipments")) + fold.newShipments()));
            totals.put("movements", n((item == null ? 0 : num(item, "movements")) + fold.newMovements()));
            return totals;
        });
        try {
            dynamo.updateItem(b -> b.tableName(table).key(shipmentKey(sscc))
                    .updateExpression("REMOVE #p").conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#p", PENDING_FROM, "#v", VERSION))
                    .expressionAttributeValues(Map.of(":v", n(version))));
        } catch (ConditionalCheckFailedException e) {
            return; // someone else completed it and moved on: their clean-up, not ours
        }
        for (Map<String, AttributeValue> key : touched) {
            dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("DELETE #a :t ADD #v :one")
                    .expressionAttributeNames(Map.of("#a", APPLIED, "#v", VERSION))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromSs(List.of(token)), ":one", n(1))));
        }
    }

    /** Read, check the token, change, conditional put (version): retried until it is applied exactly once. */
    private void applyOnce(Map<String, AttributeValue> key, String token,
                           java.util.function.Function<Map<String, AttributeValue>, Map<String, AttributeValue>> change) {
        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = get(key);
            List<String> applied = item == null || !item.containsKey(APPLIED) ? List.of() : item.get(APPLIED).ss();
            if (applied.contains(token)) {
                return;
            }
            Map<String, AttributeValue> next = new HashMap<>(change.apply(item));
            next.putAll(key);
            List<String> tokens = new ArrayList<>(applied);
            tokens.add(token);
            next.put(APPLIED, AttributeValue.fromSs(tokens));
            try {
                conditionalPut(next, version(item));
                return;
            } catch (ConditionalCheckFailedException e) {
                if (attempt >= MAX_ATTEMPTS * 4) {
                    throw e;
                }
            }
        }
    }

    private static Map<String, AttributeValue> laneItem(LaneAggregate a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("origin", AttributeValue.fromS(a.lane().originGln()));
        item.put("destination", AttributeValue.fromS(a.lane().destinationGln()));
        item.put("shipments", n(a.shipments()));
        item.put("legs", n(a.legs()));
        item.put("inTransit", n(a.inTransit()));
        item.put("unobserved", n(a.arrivalsUnobserved()));
        item.put("sketch", AttributeValue.fromB(SdkBytes.fromByteArray(a.transit().toBytes())));
        return item;
    }

    private static Map<String, AttributeValue> facilityItem(FacilityAggregate a) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("arrived", n(a.shipmentsArrived()));
        item.put("departed", n(a.shipmentsDeparted()));
        item.put("present", n(a.present()));
        item.put("sketch", AttributeValue.fromB(SdkBytes.fromByteArray(a.dwell().toBytes())));
        return item;
    }

    /** Every lane aggregate: one Query. */
    public List<LaneAggregate> lanes() {
        List<LaneAggregate> out = new ArrayList<>();
        query(LANE).forEach(item -> out.add(lane(item)));
        return out;
    }

    /** Every facility aggregate: one Query. */
    public List<FacilityAggregate> facilities() {
        List<FacilityAggregate> out = new ArrayList<>();
        query(FACILITY).forEach(item -> out.add(facility(item)));
        return out;
    }

    /**
     * Network totals: distinct shipments and distinct movement events folded.
     *
     * @param shipments shipments with at least one movement
     * @param movements distinct departure and arrival events
     */
    public record Totals(long shipments, long movements) {
    }

    public Totals totals() {
        Map<String, AttributeValue> item = get(key(NETWORK, TOTALS));
        return item == null ? new Totals(0, 0) : new Totals(num(item, "shipments"), num(item, "movements"));
    }

    /** The movements of the given shipments (those with incidents or exposure figures): one GetItem each. */
    public Map<String, ShipmentMovements> movements(Collection<String> ssccs) {
        Map<String, ShipmentMovements> out = new TreeMap<>();
        for (String sscc : ssccs) {
            Map<String, AttributeValue> item = get(shipmentKey(sscc));
            if (item != null) {
                out.put(sscc, readMovements(sscc, item.get(MOVEMENTS_ATTRIBUTE).s()));
            }
        }
        return out;
    }

    private Iterable<Map<String, AttributeValue>> query(String pk) {
        return dynamo.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))).build()).items();
    }

    /** Puts the item at {@code version + 1}, on condition that it is still at {@code version} (0: absent). */
    private void conditionalPut(Map<String, AttributeValue> item, long version) {
        item.put(VERSION, n(version + 1));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
        if (version == 0) {
            put.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
        } else {
            put.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(Map.of(":v", n(version)));
        }
        dynamo.putItem(put.build());
    }

    private Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        var response = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    /** A lane item as read (the ops API pages these itself). */
    public static LaneAggregate lane(Map<String, AttributeValue> item) {
        return new LaneAggregate(new Lane(item.get("origin").s(), item.get("destination").s()),
                num(item, "shipments"), num(item, "legs"), num(item, "inTransit"), num(item, "unobserved"),
                DurationSketch.fromBytes(item.get("sketch").b().asByteArray()));
    }

    /** A facility item as read. */
    public static FacilityAggregate facility(Map<String, AttributeValue> item) {
        return new FacilityAggregate(item.get(SK).s(), num(item, "arrived"), num(item, "departed"),
                num(item, "present"), DurationSketch.fromBytes(item.get("sketch").b().asByteArray()));
    }

    static String writeMovements(ShipmentMovements state) {
        ArrayNode array = CanonicalEventJson.MAPPER.createArrayNode();
        for (Movement m : state.ordered()) {
            ObjectNode o = array.addObject();
            o.put("time", m.time().toString());
            o.put("id", m.id());
            o.put("source", m.source());
            o.put("departure", m.departure());
            if (m.gln() != null) {
                o.put("gln", m.gln());
            }
        }
        return array.toString();
    }

    static ShipmentMovements readMovements(String sscc, String json) {
        try {
            List<Movement> movements = new ArrayList<>();
            for (JsonNode o : CanonicalEventJson.MAPPER.readTree(json)) {
                movements.add(new Movement(sscc, Instant.parse(o.get("time").asText()), o.get("id").asText(),
                        o.get("source").asText(), o.get("departure").asBoolean(),
                        o.hasNonNull("gln") ? o.get("gln").asText() : null));
            }
            return ShipmentMovements.none(sscc).fold(movements);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable movements of shipment " + sscc + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, AttributeValue> shipmentKey(String sscc) {
        return key("SHIPMENT#" + sscc, MOVEMENTS);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    private static long version(Map<String, AttributeValue> item) {
        return item == null || !item.containsKey("version") ? 0 : Long.parseLong(item.get("version").n());
    }

    private static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
