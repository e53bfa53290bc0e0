package io.waybill.aws.eventstore;

import io.waybill.domain.event.GeoPoint;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The shipment projection on DynamoDB. Reads are strongly consistent (the version must be current); writes are
 * whole-item puts conditioned on the version by the Enhanced Client's {@code VersionedRecordExtension}.
 */
public final class DynamoDbShipmentStateStore implements ShipmentStateStore {
    static final TableSchema<ShipmentItem> SCHEMA = TableSchema.fromBean(ShipmentItem.class);

    private final DynamoDbTable<ShipmentItem> table;

    public DynamoDbShipmentStateStore(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, SCHEMA);
    }

    @Override
    public Versioned load(String shipmentSscc) {
        try {
            ShipmentItem item = table.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(shipmentSscc).build()).consistentRead(true).build());
            return item == null ? new Versioned(null, null) : new Versioned(toState(item), item.getVersion());
        } catch (SdkException e) {
            throw new TransientDependencyException("shipment projection " + table.tableName(), e.getMessage(), e);
        }
    }

    @Override
    public boolean save(ShipmentState state, Long expectedVersion) {
        ShipmentItem item = toItem(state);
        item.setVersion(expectedVersion);
        try {
            table.putItem(item);
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new TransientDependencyException("shipment projection " + table.tableName(), e.getMessage(), e);
        }
    }

    public static ShipmentState toState(ShipmentItem i) {
        GeoPoint position = i.getLatitude() == null ? null
                : new GeoPoint(i.getLatitude(), i.getLongitude(), i.getAccuracyMetres());
        return new ShipmentState(i.getShipmentSscc(),
                i.getStatus() == null ? ShipmentStatus.UNKNOWN : ShipmentStatus.valueOf(i.getStatus()),
                i.getStatusAt(), i.getStatusEventId(),
                i.getLocationGln(), position, i.getLocationAt(), i.getLocationEventId(),
                i.getTemperatureCelsius(), i.getTemperatureAt(), i.getTemperatureEventId(), i.getLastBreachAt(),
                i.getCustodianGln(), i.getCustodyAt(), i.getCustodyEventId(),
                i.getLastEventAt(), i.getLastEventId(), i.getLastEventType(), i.getQualityHoldAt(),
                i.getQualityHoldIncidentId(), i.getQualityHoldReleasedAt(), i.getQualityHoldReleasedBy(), plan(i));
    }

    /** The plan in force, or null when the item has none (a shipment without master data, or stored before it). */
    static ShipmentState.Plan plan(ShipmentItem i) {
        if (i.getPlanProductClass() == null) {
            return null;
        }
        return new ShipmentState.Plan(i.getPlanProductClass(), i.getPlanOriginGln(), i.getPlanDestinationGln(),
                i.getPlannedDeparture(), i.getPlannedArrival(), i.getPlanMonitoringDevices(), i.getPlanShipperGln(),
                i.getPlanConsigneeGln(), i.getPlannedAt(), i.getPlanEventId());
    }

    static ShipmentItem toItem(ShipmentState s) {
        ShipmentItem i = new ShipmentItem();
        i.setShipmentSscc(s.shipmentSscc());
        i.setStatus(s.status().name());
        i.setStatusAt(s.statusAt());
        i.setStatusEventId(s.statusEventId());
        i.setLocationGln(s.locationGln());
        if (s.position() != null) {
            i.setLatitude(s.position().latitude());
            i.setLongitude(s.position().longitude());
            i.setAccuracyMetres(s.position().accuracyMetres());
        }
        i.setLocationAt(s.locationAt());
        i.setLocationEventId(s.locationEventId());
        i.setTemperatureCelsius(s.temperatureCelsius());
        i.setTemperatureAt(s.temperatureAt());
        i.setTemperatureEventId(s.temperatureEventId());
        i.setLastBreachAt(s.lastBreachAt());
        i.setCustodianGln(s.custodianGln());
        i.setCustodyAt(s.custodyAt());
        i.setCustodyEventId(s.custodyEventId());
        i.setLastEventAt(s.lastEventAt());
        i.setLastEventId(s.lastEventId());
        i.setLastEventType(s.lastEventType());
        i.setQualityHoldAt(s.qualityHoldAt());
        i.setQualityHoldIncidentId(s.qualityHoldIncidentId());
        i.setQualityHoldReleasedAt(s.qualityHoldReleasedAt());
        i.setQualityHoldReleasedBy(s.qualityHoldReleasedBy());
        ShipmentState.Plan plan = s.plan();
        if (plan != null) {
            i.setPlanProductClass(plan.productClass());
            i.setPlanOriginGln(plan.originGln());
            i.setPlanDestinationGln(plan.destinationGln());
            i.setPlannedDeparture(plan.plannedDeparture());
            i.setPlannedArrival(plan.plannedArrival());
            i.setPlanMonitoringDevices(plan.monitoringDevices());
            i.setPlanShipperGln(plan.shipperGln());
            i.setPlanConsigneeGln(plan.consigneeGln());
            i.setPlannedAt(plan.plannedAt());
            i.setPlanEventId(plan.planEventId());
        }
        return i;
    }
}
