package io.waybill.aws.coldchain;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * A shipment exception (incident), keyed by its deterministic id, with the decision event that opened it (the
 * authoritative decision) and whether the decision's effects were all recorded. GSI {@value #BY_SHIPMENT_INDEX}
 * (shipmentSscc, openedAt) lists a shipment's incidents; GSI {@value #BY_STATUS_INDEX} (status, openedAt) finds the
 * oldest open one.
 */
@DynamoDbBean
public class IncidentItem {
    public static final String BY_SHIPMENT_INDEX = "byShipment";
    /** GSI (status, openedAt): the oldest open incident is the first item of status OPEN. */
    public static final String BY_STATUS_INDEX = "byStatus";

    private String incidentId;
    private String shipmentSscc;
    private String kind;
    private String severity;
    private String summary;
    private String openedAt;
    private String evidenceTime;
    private String status;
    private String acknowledgedAt;
    private String resolvedAt;
    private String resolution;
    private Integer edgeAttention;
    private String decisionEventJson;
    private Boolean decisionRecorded;

    @DynamoDbPartitionKey
    public String getIncidentId() {
        return incidentId;
    }

    public void setIncidentId(String v) {
        this.incidentId = v;
    }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_SHIPMENT_INDEX)
    public String getShipmentSscc() {
        return shipmentSscc;
    }

    public void setShipmentSscc(String v) {
        this.shipmentSscc = v;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String v) {
        this.kind = v;
    }

    public String getSeverity() {
        return severity;
    }

    public void setSeverity(String v) {
        this.severity = v;
    }

    public String getSummary() {
        return summary;
    }

    public void setSummary(String v) {
        this.summary = v;
    }

    @DynamoDbSecondarySortKey(indexNames = {BY_SHIPMENT_INDEX, BY_STATUS_INDEX})
    public String getOpenedAt() {
        return openedAt;
    }

    public void setOpenedAt(String v) {
        this.openedAt = v;
    }

    public String getEvidenceTime() {
        return evidenceTime;
    }

    public void setEvidenceTime(String v) {
        this.evidenceTime = v;
    }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_STATUS_INDEX)
    public String getStatus() {
        return status;
    }

    public void setStatus(String v) {
        this.status = v;
    }

    public String getAcknowledgedAt() {
        return acknowledgedAt;
    }

    public void setAcknowledgedAt(String v) {
        this.acknowledgedAt = v;
    }

    public String getResolvedAt() {
        return resolvedAt;
    }

    public void setResolvedAt(String v) {
        this.resolvedAt = v;
    }

    public String getResolution() {
        return resolution;
    }

    public void setResolution(String v) {
        this.resolution = v;
    }

    public Integer getEdgeAttention() {
        return edgeAttention;
    }

    public void setEdgeAttention(Integer v) {
        this.edgeAttention = v;
    }

    public String getDecisionEventJson() {
        return decisionEventJson;
    }

    public void setDecisionEventJson(String v) {
        this.decisionEventJson = v;
    }

    public Boolean getDecisionRecorded() {
        return decisionRecorded;
    }

    public void setDecisionRecorded(Boolean v) {
        this.decisionRecorded = v;
    }
}
