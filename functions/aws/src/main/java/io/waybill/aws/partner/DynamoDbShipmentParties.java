package io.waybill.aws.partner;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.partner.ShipmentFile;
import io.waybill.domain.partner.ShipmentParties;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.waybill.aws.partner.PartnerTables.EVENT;
import static io.waybill.aws.partner.PartnerTables.EVENT_JSON;
import static io.waybill.aws.partner.PartnerTables.PARTY;
import static io.waybill.aws.partner.PartnerTables.PK;
import static io.waybill.aws.partner.PartnerTables.SETTLED;
import static io.waybill.aws.partner.PartnerTables.SHIPMENT;
import static io.waybill.aws.partner.PartnerTables.SK;

/**
 * {@link ShipmentParties} in the partner table ({@link PartnerTables}): one item per party, kept event and settled
 * pair under {@code SHIPMENT#<sscc>}; every write is a put of a key that means the same thing each time (idempotent;
 * a kept event's first copy stands), and the file is one consistent query. Kept events and settled markers carry
 * {@link PartnerTables#EXPIRES_AT} = write time + retention (epoch seconds, for the table's TTL).
 */
public final class DynamoDbShipmentParties implements ShipmentParties {
    private final DynamoDbClient dynamo;
    private final String table;
    private final java.time.Clock clock;
    private final java.time.Duration retention;

    /** With {@link PartnerEgressEnvironment#DEFAULT_RETENTION_DAYS} of retention on the system clock. */
    public DynamoDbShipmentParties(DynamoDbClient dynamo, String table) {
        this(dynamo, table, java.time.Clock.systemUTC(),
                java.time.Duration.ofDays(PartnerEgressEnvironment.DEFAULT_RETENTION_DAYS));
    }

    /** @param retention how long after its write a kept event or settled marker may expire (positive) */
    public DynamoDbShipmentParties(DynamoDbClient dynamo, String table, java.time.Clock clock,
                                   java.time.Duration retention) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
    }

    @Override
    public void addParties(String sscc, Set<String> glns) {
        for (String gln : glns) {
            put(key(sscc, PARTY + gln), false);
        }
    }

    @Override
    public void keep(String sscc, CanonicalEvent event) {
        Map<String, AttributeValue> item = key(sscc, EVENT + event.id());
        item.put(EVENT_JSON, AttributeValue.fromS(CanonicalEventJson.toJsonString(event)));
        item.put(PartnerTables.EXPIRES_AT, expiresAt());
        put(item, true);
    }

    @Override
    public void settle(String sscc, String partnerId, String eventId) {
        Map<String, AttributeValue> item = key(sscc, SETTLED + ShipmentFile.settledKey(partnerId, eventId));
        item.put(PartnerTables.EXPIRES_AT, expiresAt());
        put(item, false);
    }

    private AttributeValue expiresAt() {
        return AttributeValue.fromN(Long.toString(clock.instant().plus(retention).getEpochSecond()));
    }

    @Override
    public ShipmentFile file(String sscc) {
        Set<String> parties = new HashSet<>();
        List<CanonicalEvent> events = new ArrayList<>();
        Set<String> settled = new HashSet<>();
        try {
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                    .consistentRead(true).keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SHIPMENT + sscc))).build())
                    .items()) {
                String sk = item.get(SK).s();
                if (sk.startsWith(PARTY)) {
                    parties.add(sk.substring(PARTY.length()));
                } else if (sk.startsWith(EVENT)) {
                    events.add(CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(
                            item.get(EVENT_JSON).s())));
                } else if (sk.startsWith(SETTLED)) {
                    settled.add(sk.substring(SETTLED.length()));
                }
            }
        } catch (SdkException e) {
            throw DependencyFailures.classify("partner table " + table, e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("partner table " + table + ": unreadable event of shipment " + sscc, e);
        }
        return new ShipmentFile(sscc, parties, events, settled);
    }

    private static Map<String, AttributeValue> key(String sscc, String sk) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, AttributeValue.fromS(SHIPMENT + sscc));
        item.put(SK, AttributeValue.fromS(sk));
        return item;
    }

    private void put(Map<String, AttributeValue> item, boolean firstStands) {
        PutItemRequest.Builder request = PutItemRequest.builder().tableName(table).item(item);
        if (firstStands) {
            request.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
        }
        try {
            dynamo.putItem(request.build());
        } catch (ConditionalCheckFailedException already) {
            // kept before: the first copy stands
        } catch (SdkException e) {
            throw DependencyFailures.classify("partner table " + table, e);
        }
    }
}
