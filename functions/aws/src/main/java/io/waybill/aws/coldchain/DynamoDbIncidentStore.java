package io.waybill.aws.coldchain;

import io.waybill.domain.decision.IncidentStore;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Incidents on DynamoDB. Opening is a conditional put ({@code attribute_not_exists(incidentId)}): one excursion, one
 * incident, one alert, however often it is re-evaluated. Lifecycle moves are conditional on the current status, so
 * two operators cannot both acknowledge, and a resolved incident never reopens.
 */
public final class DynamoDbIncidentStore implements IncidentStore {
    static final TableSchema<IncidentItem> SCHEMA = TableSchema.fromBean(IncidentItem.class);
    private static final Expression NOT_OPENED_YET = Expression.builder()
            .expression("attribute_not_exists(incidentId)").build();

    private final DynamoDbTable<IncidentItem> table;

    public DynamoDbIncidentStore(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, SCHEMA);
    }

    @Override
    public Stored open(ShipmentIncident incident, String decisionEventJson) {
        IncidentItem item = toItem(incident);
        item.setDecisionEventJson(decisionEventJson);
        item.setDecisionRecorded(false);
        try {
            table.putItem(PutItemEnhancedRequest.builder(IncidentItem.class).item(item)
                    .conditionExpression(NOT_OPENED_YET).build());
            return new Stored(incident, true, decisionEventJson, false);
        } catch (ConditionalCheckFailedException e) {
            IncidentItem existing = get(incident.incidentId());
            return new Stored(toIncident(existing), false, existing.getDecisionEventJson(),
                    Boolean.TRUE.equals(existing.getDecisionRecorded()));
        } catch (SdkException e) {
            throw transientFailure(e);
        }
    }

    @Override
    public void markDecisionRecorded(String incidentId) {
        IncidentItem patch = patch(incidentId);
        patch.setDecisionRecorded(true);
        update(patch, Expression.builder().expression("attribute_exists(incidentId)").build());
    }

    @Override
    public void raiseSeverity(String incidentId, String severity) {
        // Only while not resolved: a resolved incident keeps the severity it was resolved with.
        IncidentItem patch = patch(incidentId);
        patch.setSeverity(severity);
        try {
            update(patch, Expression.builder().expression("#st <> :resolved")
                    .putExpressionName("#st", "status")
                    .putExpressionValue(":resolved", s(IncidentStatus.RESOLVED.name())).build());
        } catch (IllegalStateException e) {
            // resolved meanwhile: nothing to raise
        }
    }

    @Override
    public Optional<ShipmentIncident> find(String incidentId) {
        try {
            return Optional.ofNullable(table.getItem(Key.builder().partitionValue(incidentId).build()))
                    .map(DynamoDbIncidentStore::toIncident);
        } catch (SdkException e) {
            throw transientFailure(e);
        }
    }

    /** A shipment's incidents (GSI {@value IncidentItem#BY_SHIPMENT_INDEX}, eventually consistent). */
    @Override
    public List<ShipmentIncident> forShipment(String shipmentSscc) {
        try {
            var byShipment = software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional.keyEqualTo(
                    Key.builder().partitionValue(shipmentSscc).build());
            List<ShipmentIncident> out = new ArrayList<>();
            for (var page : table.index(IncidentItem.BY_SHIPMENT_INDEX).query(r -> r.queryConditional(byShipment))) {
                page.items().forEach(i -> out.add(toIncident(i)));
            }
            return out;
        } catch (SdkException e) {
            throw transientFailure(e);
        }
    }

    /**
     * The oldest incident with this status (GSI {@value IncidentItem#BY_STATUS_INDEX}, first by openedAt) and how
     * many have it.
     */
    public Backlog backlog(IncidentStatus status) {
        try {
            var index = table.index(IncidentItem.BY_STATUS_INDEX);
            var byStatus = software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional.keyEqualTo(
                    Key.builder().partitionValue(status.name()).build());
            ShipmentIncident oldest = null;
            long count = 0;
            for (var page : index.query(r -> r.queryConditional(byStatus).scanIndexForward(true))) {
                for (IncidentItem i : page.items()) {
                    if (oldest == null) {
                        oldest = toIncident(i);
                    }
                    count++;
                }
            }
            return new Backlog(status, count, Optional.ofNullable(oldest));
        } catch (SdkException e) {
            throw transientFailure(e);
        }
    }

    /** How many incidents have a status, and the oldest of them. */
    public record Backlog(IncidentStatus status, long count, Optional<ShipmentIncident> oldest) {
    }

    @Override
    public List<ShipmentIncident> all() {
        try {
            List<ShipmentIncident> out = new ArrayList<>();
            table.scan().items().forEach(i -> out.add(toIncident(i)));
            return out;
        } catch (SdkException e) {
            throw transientFailure(e);
        }
    }

    @Override
    public ShipmentIncident acknowledge(String incidentId, Instant at) {
        ShipmentIncident current = find(incidentId).orElseThrow(() ->
                new IllegalArgumentException("no incident " + incidentId));
        ShipmentIncident next = current.acknowledge(at); // checks the move
        IncidentItem patch = patch(incidentId);
        patch.setStatus(next.status().name());
        patch.setAcknowledgedAt(at.toString());
        update(patch, statusIs(current.status()));
        return next;
    }

    @Override
    public ShipmentIncident resolve(String incidentId, Instant at, String resolution) {
        ShipmentIncident current = find(incidentId).orElseThrow(() ->
                new IllegalArgumentException("no incident " + incidentId));
        ShipmentIncident next = current.resolve(at, resolution);
        IncidentItem patch = patch(incidentId);
        patch.setStatus(next.status().name());
        patch.setResolvedAt(at.toString());
        patch.setResolution(resolution);
        update(patch, statusIs(current.status()));
        return next;
    }

    private static Expression statusIs(IncidentStatus status) {
        return Expression.builder().expression("#st = :current").putExpressionName("#st", "status")
                .putExpressionValue(":current", s(status.name())).build();
    }

    private static IncidentItem patch(String incidentId) {
        IncidentItem i = new IncidentItem();
        i.setIncidentId(incidentId);
        return i;
    }

    /** Sets the patch's non-null attributes if the condition holds. */
    private void update(IncidentItem patch, Expression condition) {
        try {
            table.updateItem(UpdateItemEnhancedRequest.builder(IncidentItem.class).item(patch).ignoreNulls(true)
                    .conditionExpression(condition).build());
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("incident " + patch.getIncidentId() + " changed meanwhile ("
                    + condition.expression() + ")", e);
        } catch (SdkException e) {
            throw transientFailure(e);
        }
    }

    private IncidentItem get(String incidentId) {
        IncidentItem i = table.getItem(r -> r.key(Key.builder().partitionValue(incidentId).build()).consistentRead(true));
        if (i == null) {
            throw new TransientDependencyException("incidents " + table.tableName(),
                    "incident " + incidentId + " refused as existing but not readable", null);
        }
        return i;
    }

    private TransientDependencyException transientFailure(SdkException e) {
        return new TransientDependencyException("incidents " + table.tableName(), e.getMessage(), e);
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

    static IncidentItem toItem(ShipmentIncident x) {
        IncidentItem i = new IncidentItem();
        i.setIncidentId(x.incidentId());
        i.setShipmentSscc(x.shipmentSscc());
        i.setKind(x.kind());
        i.setSeverity(x.severity());
        i.setSummary(x.summary());
        i.setOpenedAt(io.waybill.domain.time.SortableTime.format(x.openedAt())); // sort key of both indexes
        i.setEvidenceTime(x.evidenceTime() == null ? null : x.evidenceTime().toString());
        i.setStatus(x.status().name());
        i.setAcknowledgedAt(x.acknowledgedAt() == null ? null : x.acknowledgedAt().toString());
        i.setResolvedAt(x.resolvedAt() == null ? null : x.resolvedAt().toString());
        i.setResolution(x.resolution());
        i.setEdgeAttention(x.edgeAttention());
        return i;
    }

    /** The incident an item holds (the ops API maps its query pages with it). */
    public static ShipmentIncident toIncident(IncidentItem i) {
        return new ShipmentIncident(i.getIncidentId(), i.getShipmentSscc(), i.getKind(), i.getSeverity(),
                i.getSummary(), Instant.parse(i.getOpenedAt()), i.getEvidenceTime() == null ? null
                : Instant.parse(i.getEvidenceTime()), IncidentStatus.valueOf(i.getStatus()),
                i.getAcknowledgedAt() == null ? null : Instant.parse(i.getAcknowledgedAt()),
                i.getResolvedAt() == null ? null : Instant.parse(i.getResolvedAt()), i.getResolution(),
                i.getEdgeAttention() == null ? 0 : i.getEdgeAttention());
    }
}
