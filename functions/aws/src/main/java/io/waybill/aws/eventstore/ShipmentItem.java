package io.waybill.aws.eventstore;

import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

import java.time.Instant;

/**
 * A shipment's current state, one item per SSCC. {@code version} is managed by the Enhanced Client's
 * {@code VersionedRecordExtension}: every write is conditional on the version read, which is the optimistic lock.
 */
@DynamoDbBean
public class ShipmentItem {
    /**
     * GSI (status, shipmentSscc), projecting all attributes: the ops API lists the shipments of one status with a
     * Query rather than a Scan. Sparse: a shipment with a plan and no event yet has no status and is not in it.
     */
    public static final String BY_STATUS_INDEX = "byStatus";

    private String shipmentSscc;
    private String status;
    private Instant statusAt;
    private String statusEventId;
    private String locationGln;
    private Double latitude;
    private Double longitude;
    private Double accuracyMetres;
    private Instant locationAt;
    private String locationEventId;
    private Double temperatureCelsius;
    private Instant temperatureAt;
    private String temperatureEventId;
    private Instant lastBreachAt;
    private String custodianGln;
    private Instant custodyAt;
    private String custodyEventId;
    private Instant lastEventAt;
    private String lastEventId;
    private String lastEventType;
    private Instant qualityHoldAt;
    private String qualityHoldIncidentId;
    private Instant qualityHoldReleasedAt;
    private String qualityHoldReleasedBy;
    private String planProductClass;
    private String planOriginGln;
    private String planDestinationGln;
    private Instant plannedDeparture;
    private Instant plannedArrival;
    private java.util.List<String> planMonitoringDevices;
    private String planShipperGln;
    private String planConsigneeGln;
    private Instant plannedAt;
    private String planEventId;
    private Long version;

    @DynamoDbPartitionKey
    @DynamoDbSecondarySortKey(indexNames = BY_STATUS_INDEX)
    public String getShipmentSscc() {
        return shipmentSscc;
    }

    public void setShipmentSscc(String shipmentSscc) {
        this.shipmentSscc = shipmentSscc;
    }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_STATUS_INDEX)
    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public Instant getStatusAt() {
        return statusAt;
    }

    public void setStatusAt(Instant statusAt) {
        this.statusAt = statusAt;
    }

    public String getStatusEventId() {
        return statusEventId;
    }

    public void setStatusEventId(String statusEventId) {
        this.statusEventId = statusEventId;
    }

    public String getLocationGln() {
        return locationGln;
    }

    public void setLocationGln(String locationGln) {
        this.locationGln = locationGln;
    }

    public Double getLatitude() {
        return latitude;
    }

    public void setLatitude(Double latitude) {
        this.latitude = latitude;
    }

    public Double getLongitude() {
        return longitude;
    }

    public void setLongitude(Double longitude) {
        this.longitude = longitude;
    }

    public Double getAccuracyMetres() {
        return accuracyMetres;
    }

    public void setAccuracyMetres(Double accuracyMetres) {
        this.accuracyMetres = accuracyMetres;
    }

    public Instant getLocationAt() {
        return locationAt;
    }

    public void setLocationAt(Instant locationAt) {
        this.locationAt = locationAt;
    }

    public String getLocationEventId() {
        return locationEventId;
    }

    public void setLocationEventId(String locationEventId) {
        this.locationEventId = locationEventId;
    }

    public Double getTemperatureCelsius() {
        return temperatureCelsius;
    }

    public void setTemperatureCelsius(Double temperatureCelsius) {
        this.temperatureCelsius = temperatureCelsius;
    }

    public Instant getTemperatureAt() {
        return temperatureAt;
    }

    public void setTemperatureAt(Instant temperatureAt) {
        this.temperatureAt = temperatureAt;
    }

    public String getTemperatureEventId() {
        return temperatureEventId;
    }

    public void setTemperatureEventId(String temperatureEventId) {
        this.temperatureEventId = temperatureEventId;
    }

    public Instant getLastBreachAt() {
        return lastBreachAt;
    }

    public void setLastBreachAt(Instant lastBreachAt) {
        this.lastBreachAt = lastBreachAt;
    }

    public String getCustodianGln() {
        return custodianGln;
    }

    public void setCustodianGln(String custodianGln) {
        this.custodianGln = custodianGln;
    }

    public Instant getCustodyAt() {
        return custodyAt;
    }

    public void setCustodyAt(Instant custodyAt) {
        this.custodyAt = custodyAt;
    }

    public String getCustodyEventId() {
        return custodyEventId;
    }

    public void setCustodyEventId(String custodyEventId) {
        this.custodyEventId = custodyEventId;
    }

    public Instant getLastEventAt() {
        return lastEventAt;
    }

    public void setLastEventAt(Instant lastEventAt) {
        this.lastEventAt = lastEventAt;
    }

    public String getLastEventId() {
        return lastEventId;
    }

    public void setLastEventId(String lastEventId) {
        this.lastEventId = lastEventId;
    }

    public String getLastEventType() {
        return lastEventType;
    }

    public void setLastEventType(String lastEventType) {
        this.lastEventType = lastEventType;
    }

    /** Event time of the cloud breach decision that put the shipment on quality hold; null when not on hold. */
    public Instant getQualityHoldAt() {
        return qualityHoldAt;
    }

    public void setQualityHoldAt(Instant qualityHoldAt) {
        this.qualityHoldAt = qualityHoldAt;
    }

    /** The shipment exception that decision opened. */
    public String getQualityHoldIncidentId() {
        return qualityHoldIncidentId;
    }

    public void setQualityHoldIncidentId(String qualityHoldIncidentId) {
        this.qualityHoldIncidentId = qualityHoldIncidentId;
    }

    @DynamoDbVersionAttribute
    public Long getVersion() {
        return version;
    }

    public void setVersion(Long version) {
        this.version = version;
    }

    public Instant getQualityHoldReleasedAt() {
        return qualityHoldReleasedAt;
    }

    public void setQualityHoldReleasedAt(Instant qualityHoldReleasedAt) {
        this.qualityHoldReleasedAt = qualityHoldReleasedAt;
    }

    public String getQualityHoldReleasedBy() {
        return qualityHoldReleasedBy;
    }

    public void setQualityHoldReleasedBy(String qualityHoldReleasedBy) {
        this.qualityHoldReleasedBy = qualityHoldReleasedBy;
    }

    /** The plan's product class name (master data), or null while no plan arrived. */
    public String getPlanProductClass() {
        return planProductClass;
    }

    public void setPlanProductClass(String planProductClass) {
        this.planProductClass = planProductClass;
    }

    /** The plan's origin GLN. */
    public String getPlanOriginGln() {
        return planOriginGln;
    }

    public void setPlanOriginGln(String planOriginGln) {
        this.planOriginGln = planOriginGln;
    }

    /** The plan's destination GLN. */
    public String getPlanDestinationGln() {
        return planDestinationGln;
    }

    public void setPlanDestinationGln(String planDestinationGln) {
        this.planDestinationGln = planDestinationGln;
    }

    /** The plan's planned departure, or null. */
    public Instant getPlannedDeparture() {
        return plannedDeparture;
    }

    public void setPlannedDeparture(Instant plannedDeparture) {
        this.plannedDeparture = plannedDeparture;
    }

    /** The plan's planned arrival, or null. */
    public Instant getPlannedArrival() {
        return plannedArrival;
    }

    public void setPlannedArrival(Instant plannedArrival) {
        this.plannedArrival = plannedArrival;
    }

    /** The plan's monitoring devices (thing names, sorted). */
    public java.util.List<String> getPlanMonitoringDevices() {
        return planMonitoringDevices;
    }

    public void setPlanMonitoringDevices(java.util.List<String> planMonitoringDevices) {
        this.planMonitoringDevices = planMonitoringDevices;
    }

    /** The plan's shipper GLN, or null. */
    public String getPlanShipperGln() {
        return planShipperGln;
    }

    public void setPlanShipperGln(String planShipperGln) {
        this.planShipperGln = planShipperGln;
    }

    /** The plan's consignee GLN, or null. */
    public String getPlanConsigneeGln() {
        return planConsigneeGln;
    }

    public void setPlanConsigneeGln(String planConsigneeGln) {
        this.planConsigneeGln = planConsigneeGln;
    }

    /** Event time of the plan revision in force (when it was issued). */
    public Instant getPlannedAt() {
        return plannedAt;
    }

    public void setPlannedAt(Instant plannedAt) {
        this.plannedAt = plannedAt;
    }

    /** Event-store key of that revision. */
    public String getPlanEventId() {
        return planEventId;
    }

    public void setPlanEventId(String planEventId) {
        this.planEventId = planEventId;
    }
}
