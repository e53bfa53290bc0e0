package io.waybill.opsapi.aws;

import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.aws.coldchain.IncidentItem;
import io.waybill.domain.decision.IncidentStore;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.time.SortableTime;
import io.waybill.opsapi.IncidentReadModel;
import io.waybill.opsapi.Page;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Incidents from the incidents table. With a status: a Query of GSI {@value IncidentItem#BY_STATUS_INDEX} (status,
 * openedAt), oldest first, the minimum age a key condition on openedAt (eventually consistent: an incident acted on a
 * moment ago may still list under its old status). Without: a paginated Scan. Severity is filtered while reading
 * ({@link KeyPager}). One incident is the store's read by id.
 */
public final class DynamoDbIncidentReadModel implements IncidentReadModel {
    private static final TableSchema<IncidentItem> SCHEMA = TableSchema.fromBean(IncidentItem.class);
    private static final String ID = SCHEMA.tableMetadata().primaryPartitionKey();
    private static final String STATUS = SCHEMA.tableMetadata().indexPartitionKey(IncidentItem.BY_STATUS_INDEX);
    private static final String OPENED_AT = SCHEMA.tableMetadata().indexSortKey(IncidentItem.BY_STATUS_INDEX)
            .orElseThrow();

    private final DynamoDbClient dynamo;
    private final IncidentStore store;
    private final String tableName;

    public DynamoDbIncidentReadModel(DynamoDbClient dynamo, IncidentStore store, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.store = Objects.requireNonNull(store, "store");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /** With the incident store on the same table ({@link DynamoDbIncidentStore}). */
    public static DynamoDbIncidentReadModel of(DynamoDbClient dynamo, String tableName) {
        return new DynamoDbIncidentReadModel(dynamo, new DynamoDbIncidentStore(
                software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient.builder().dynamoDbClient(dynamo)
                        .build(), tableName), tableName);
    }

    @Override
    public Page<ShipmentIncident> list(Filter filter, String pageToken, int limit) {
        String fingerprint = "incidents|" + filter.status() + "|" + filter.severity();
        try {
            if (filter.status() != null) {
                Map<String, String> names = new HashMap<>(Map.of("#st", STATUS));
                Map<String, AttributeValue> values = new HashMap<>(Map.of(":st", s(filter.status().name())));
                String condition = "#st = :st";
                if (filter.openedAtOrBefore() != null) {
                    names.put("#at", OPENED_AT);
                    values.put(":cutoff", s(SortableTime.format(filter.openedAtOrBefore())));
                    condition += " AND #at <= :cutoff";
                }
                String keyCondition = condition;
                return KeyPager.page((start, n) -> {
                            QueryResponse r = dynamo.query(b -> b.tableName(tableName)
                                    .indexName(IncidentItem.BY_STATUS_INDEX).keyConditionExpression(keyCondition)
                                    .expressionAttributeNames(names).expressionAttributeValues(values)
                                    .scanIndexForward(true).limit(n).exclusiveStartKey(start));
                            return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                        }, item -> DynamoDbIncidentStore.toIncident(SCHEMA.mapToItem(item)),
                        i -> filter.severity() == null || filter.severity().equals(i.severity()),
                        Set.of(ID, STATUS, OPENED_AT), fingerprint, pageToken, limit);
            }
            return KeyPager.page((start, n) -> {
                        ScanResponse r = dynamo.scan(b -> b.tableName(tableName).limit(n).exclusiveStartKey(start));
                        return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                    }, item -> DynamoDbIncidentStore.toIncident(SCHEMA.mapToItem(item)),
                    i -> (filter.severity() == null || filter.severity().equals(i.severity()))
                            && (filter.openedAtOrBefore() == null || !i.openedAt().isAfter(filter.openedAtOrBefore())),
                    Set.of(ID), fingerprint, pageToken, limit);
        } catch (SdkException e) {
            throw new TransientDependencyException("incidents " + tableName, e.getMessage(), e);
        }
    }

    @Override
    public Optional<ShipmentIncident> find(String incidentId) {
        return store.find(incidentId);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }
}
