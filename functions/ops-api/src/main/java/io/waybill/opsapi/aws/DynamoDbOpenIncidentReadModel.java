package io.waybill.opsapi.aws;

import io.waybill.aws.coldchain.IncidentItem;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.opsapi.OpenIncidentReadModel;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Open incidents from the incidents table's GSIs, reading only the keys it needs (incident id, shipment, status).
 * <ul>
 *   <li>{@link #open}: one Query of GSI {@value IncidentItem#BY_STATUS_INDEX} per open status (OPEN, then
 *       ACKNOWLEDGED; paginated, oldest first), stopping once more than {@code max} were read. Its cost follows the
 *       number of incidents that need people (few, in an operation that works them off), not the number of shipments
 *       or the page size: two requests for a page of 100 shipments, where asking per shipment would be 100.</li>
 *   <li>{@link #openOf}: one Query of GSI {@value IncidentItem#BY_SHIPMENT_INDEX} for the shipment (its incidents are
 *       one per product class and excursion episode: a handful), the open ones kept by a filter expression.</li>
 * </ul>
 * Both indexes are eventually consistent: an incident acted on a moment ago may still count as it was.
 */
public final class DynamoDbOpenIncidentReadModel implements OpenIncidentReadModel {
    private static final TableSchema<IncidentItem> SCHEMA = TableSchema.fromBean(IncidentItem.class);
    private static final String ID = SCHEMA.tableMetadata().primaryPartitionKey();
    private static final String STATUS = SCHEMA.tableMetadata().indexPartitionKey(IncidentItem.BY_STATUS_INDEX);
    private static final String SSCC = SCHEMA.tableMetadata().indexPartitionKey(IncidentItem.BY_SHIPMENT_INDEX);
    private static final List<IncidentStatus> OPEN = List.of(IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED);

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbOpenIncidentReadModel(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Open open(int max) {
        Map<String, List<String>> byShipment = new LinkedHashMap<>();
        int read = 0;
        try {
            for (IncidentStatus status : OPEN) {
                Map<String, AttributeValue> start = null;
                do {
                    Map<String, AttributeValue> from = start;
                    QueryResponse r = dynamo.query(b -> b.tableName(tableName).indexName(IncidentItem.BY_STATUS_INDEX)
                            .keyConditionExpression("#st = :st")
                            .projectionExpression("#id, #sscc")
                            .expressionAttributeNames(Map.of("#st", STATUS, "#id", ID, "#sscc", SSCC))
                            .expressionAttributeValues(Map.of(":st", AttributeValue.fromS(status.name())))
                            .scanIndexForward(true).limit(Math.min(1000, max + 1)).exclusiveStartKey(from));
                    for (Map<String, AttributeValue> item : r.items()) {
                        if (++read > max) {
                            return new Open(byShipment, false);
                        }
                        byShipment.computeIfAbsent(item.get(SSCC).s(), k -> new ArrayList<>()).add(item.get(ID).s());
                    }
                    start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                } while (start != null);
            }
            return new Open(byShipment, true);
        } catch (SdkException e) {
            throw new TransientDependencyException("incidents " + tableName, e.getMessage(), e);
        }
    }

    @Override
    public List<String> openOf(String sscc) {
        List<String> out = new ArrayList<>();
        try {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse r = dynamo.query(b -> b.tableName(tableName).indexName(IncidentItem.BY_SHIPMENT_INDEX)
                        .keyConditionExpression("#sscc = :sscc")
                        .filterExpression("#st IN (:open, :acknowledged)")
                        .projectionExpression("#id")
                        .expressionAttributeNames(Map.of("#sscc", SSCC, "#st", STATUS, "#id", ID))
                        .expressionAttributeValues(Map.of(":sscc", AttributeValue.fromS(sscc),
                                ":open", AttributeValue.fromS(IncidentStatus.OPEN.name()),
                                ":acknowledged", AttributeValue.fromS(IncidentStatus.ACKNOWLEDGED.name())))
                        .scanIndexForward(true).exclusiveStartKey(from));
                r.items().forEach(i -> out.add(i.get(ID).s()));
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
            return out;
        } catch (SdkException e) {
            throw new TransientDependencyException("incidents " + tableName, e.getMessage(), e);
        }
    }
}
