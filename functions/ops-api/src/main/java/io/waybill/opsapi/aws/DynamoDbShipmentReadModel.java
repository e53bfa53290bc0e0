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
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Shipments from the shipment projection table: a list is a paginated Scan (filters applied while reading,
 * {@link KeyPager}); one shipment is the projection store's consistent read. A Scan touches the whole table over
 * the pages: fine for this slice's volumes; a status index comes when a list must stay cheap at scale.
 */
public final class DynamoDbShipmentReadModel implements ShipmentReadModel {
    private static final TableSchema<ShipmentItem> SCHEMA = TableSchema.fromBean(ShipmentItem.class);
    private static final Set<String> KEY = Set.of(SCHEMA.tableMetadata().primaryPartitionKey());

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
        String fingerprint = "shipments|" + filter.status() + "|" + filter.productClass() + "|" + filter.onHold();
        try {
            return KeyPager.page((start, n) -> {
                        ScanResponse r = dynamo.scan(b -> b.tableName(tableName).limit(n).exclusiveStartKey(start));
                        return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                    }, item -> DynamoDbShipmentStateStore.toState(SCHEMA.mapToItem(item)),
                    s -> (filter.status() == null || filter.status() == s.status())
                            && (filter.productClass() == null || (s.plan() != null
                            && filter.productClass().equals(s.plan().productClass())))
                            && (filter.onHold() == null || filter.onHold() == s.onQualityHold()),
                    KEY, fingerprint, pageToken, limit);
        } catch (SdkException e) {
            throw new TransientDependencyException("shipment projection " + tableName, e.getMessage(), e);
        }
    }

    @Override
    public Optional<ShipmentState> find(String sscc) {
        return Optional.ofNullable(store.load(sscc).state());
    }
}
