package io.waybill.aws.coldchain;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/** An append-only compliance record: the decision event's JSON and its SHA-256, per shipment. */
@DynamoDbBean
public class ComplianceItem {
    private String shipmentSscc;
    private String recordId;
    private String incidentId;
    private String decisionEventId;
    private String decidedAt;
    private String productClass;
    private String severity;
    private String eventJson;
    private String sha256;

    @DynamoDbPartitionKey
    public String getShipmentSscc() {
        return shipmentSscc;
    }

    public void setShipmentSscc(String v) {
        this.shipmentSscc = v;
    }

    @DynamoDbSortKey
    public String getRecordId() {
        return recordId;
    }

    public void setRecordId(String v) {
        this.recordId = v;
    }

    public String getIncidentId() {
        return incidentId;
    }

    public void setIncidentId(String v) {
        this.incidentId = v;
    }

    public String getDecisionEventId() {
        return decisionEventId;
    }

    public void setDecisionEventId(String v) {
        this.decisionEventId = v;
    }

    public String getDecidedAt() {
        return decidedAt;
    }

    public void setDecidedAt(String v) {
        this.decidedAt = v;
    }

    public String getProductClass() {
        return productClass;
    }

    public void setProductClass(String v) {
        this.productClass = v;
    }

    public String getSeverity() {
        return severity;
    }

    public void setSeverity(String v) {
        this.severity = v;
    }

    public String getEventJson() {
        return eventJson;
    }

    public void setEventJson(String v) {
        this.eventJson = v;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String v) {
        this.sha256 = v;
    }
}
