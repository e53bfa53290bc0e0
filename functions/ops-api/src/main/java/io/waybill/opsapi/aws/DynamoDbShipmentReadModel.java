package io.waybill.opsapi.aws;

import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.eventstore.ShipmentItem;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.opsapi.Page;
import io.waybill.opsapi.ShipmentReadModel;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Shipments from the shipment projection table. A list with a status is a Query of GSI
 * {@value ShipmentItem#BY_STATUS_INDEX} (status, shipmentSscc), in SSCC order and eventually consistent (a shipment
 * whose status changed a moment ago may still list under its old one); without a status it is a paginated Scan. The
 * other filters are applied while reading ({@link KeyPager}). One shipment is the projection store's consistent read.
 */
public final class DynamoDbShipmentReadModel implements ShipmentReadModel {
    private static final TableSchema<ShipmentItem> SCHEMA = TableSchema.fromBean(ShipmentItem.class);
    private static final String SSCC = SCHEMA.tableMetadata().primaryPartitionKey();
    private static final String STATUS = SCHEMA.tableMetadata().indexPartitionKey(ShipmentItem.BY_STATUS_INDEX);
    private static final Set<String> KEY = Set.of(SSCC);

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final ShipmentStateStore store;

    public DynamoDbShipmentReadModel(DynamoDbClient dynamo, ShipmentStateStore store, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.store = Objects.requireNonNull(store, "store");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /** With the projection store on the same table ({@link DynamoDbShipmentStateStore}). */
    public static DynamoDbShipmentReadModel of(DynamoDbClient dynamo, String tableName) {
        return new DynamoDbShipmentReadModel(dynamo, new DynamoDbShipmentStateStore(
                software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo)
                        .build(), tableName), tableName);
    }

    @Override
    public Page<ShipmentState> list(Filter filter, String pageToken, int limit) {
        String fingerprint = "shipments|" + filter.status() + "|" + filter.productClass() + "|" + filter.onHold()
                + (filter.open() == null ? "" : "|openIncidents=" + filter.open().wanted());
        try {
            if (filter.status() != null) {
                Map<String, String> names = Map.of("#st", STATUS);
                Map<String, AttributeValue> values = Map.of(":st",
                        AttributeValue.builder().s(filter.status().name()).build());
                return KeyPager.page((start, n) -> {
                            QueryResponse r = dynamo.query(b -> b.tableName(tableName)
                                    .indexName(ShipmentItem.BY_STATUS_INDEX).keyConditionExpression("#st = :st")
                                    .expressionAttributeNames(names).expressionAttributeValues(values)
                                    .limit(n).exclusiveStartKey(start));
                            return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                        }, item -> DynamoDbShipmentStateStore.toState(SCHEMA.mapToItem(item)),
                        s -> matches(filter, s), Set.of(SSCC, STATUS), fingerprint, pageToken, limit);
            }
            return KeyPager.page((start, n) -> {
                        ScanResponse r = dynamo.scan(b -> b.tableName(tableName).limit(n).exclusiveStartKey(start));
                        return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                    }, item -> DynamoDbShipmentStateStore.toState(SCHEMA.mapToItem(item)),
                    s -> matches(filter, s), KEY, fingerprint, pageToken, limit);
        } catch (SdkException e) {
            throw new TransientDependencyException("shipment projection " + tableName, e.getMessage(), e);
        }
    }

    private static boolean matches(Filter filter, ShipmentState s) {
        return (filter.status() == null || filter.status() == s.status())
                && (filter.productClass() == null || (s.plan() != null
                && filter.productClass().equals(s.plan().productClass())))
                && (filter.onHold() == null || filter.onHold() == s.onQualityHold())
                && (filter.open() == null || filter.open().matches(s.shipmentSscc()));
    }

    @Override
    public Optional<ShipmentState> find(String sscc) {
        return Optional.ofNullable(store.load(sscc).state());
    }
}
