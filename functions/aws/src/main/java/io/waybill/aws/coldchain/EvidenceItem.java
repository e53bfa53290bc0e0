package io.waybill.aws.coldchain;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * One row of the exposure table: per shipment ({@code shipmentSscc}), either a piece of temperature evidence
 * ({@code recordKey = E#<evidence id>}, with its broker, stream and decision times: the "decided" boundary) or the
 * shipment's latest standing ({@code recordKey = STANDING}). {@code decidedAt} is, on evidence, the latest decision
 * that took it into account; on the standing, the latest decision.
 */
@DynamoDbBean
public class EvidenceItem {
    public static final String EVIDENCE_PREFIX = "E#";
    public static final String STANDING_KEY = "STANDING";
    /**
     * Sparse GSI (pendingBreach, shipmentSscc): only standings with a breach verdict not acted on yet carry
     * {@code pendingBreach}, so the confirmation pass queries exactly those.
     */
    public static final String BY_PENDING_BREACH_INDEX = "byPendingBreach";
    /** The one value of {@code pendingBreach}. */
    public static final String PENDING = "PENDING";

    private String shipmentSscc;
    private String recordKey;
    // evidence
    private String evidenceId;
    private String kind;
    private String deviceId;
    private String start;
    private String end;
    private Double celsius;
    private Integer edgeSeverity;
    private String brokerTime;
    private String streamTime;
    // standing
    private String status;
    private String productClass;
    private String severity;
    private Double torSeconds;
    private Double degreeMinutesAbove;
    private Double degreeMinutesBelow;
    private Double mktCelsius;
    private Double maxCelsius;
    private Integer edgeAttention;
    private Integer evidenceCount;
    private String decidedAt;
    private String breachSince;
    private String pendingBreach;

    @DynamoDbPartitionKey
    @DynamoDbSecondarySortKey(indexNames = BY_PENDING_BREACH_INDEX)
    public String getShipmentSscc() {
        return shipmentSscc;
    }

    public void setShipmentSscc(String v) {
        this.shipmentSscc = v;
    }

    @DynamoDbSortKey
    public String getRecordKey() {
        return recordKey;
    }

    public void setRecordKey(String v) {
        this.recordKey = v;
    }

    public String getEvidenceId() {
        return evidenceId;
    }

    public void setEvidenceId(String v) {
        this.evidenceId = v;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String v) {
        this.kind = v;
    }

    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String v) {
        this.deviceId = v;
    }

    public String getStart() {
        return start;
    }

    public void setStart(String v) {
        this.start = v;
    }

    public String getEnd() {
        return end;
    }

    public void setEnd(String v) {
        this.end = v;
    }

    public Double getCelsius() {
        return celsius;
    }

    public void setCelsius(Double v) {
        this.celsius = v;
    }

    public Integer getEdgeSeverity() {
        return edgeSeverity;
    }

    public void setEdgeSeverity(Integer v) {
        this.edgeSeverity = v;
    }

    /** Evidence: when the broker received the event's message (ISO-8601), if known. */
    public String getBrokerTime() {
        return brokerTime;
    }

    public void setBrokerTime(String v) {
        this.brokerTime = v;
    }

    /** Evidence: when the event's record reached the stream (ISO-8601), if known. */
    public String getStreamTime() {
        return streamTime;
    }

    public void setStreamTime(String v) {
        this.streamTime = v;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String v) {
        this.status = v;
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

    public Double getTorSeconds() {
        return torSeconds;
    }

    public void setTorSeconds(Double v) {
        this.torSeconds = v;
    }

    public Double getDegreeMinutesAbove() {
        return degreeMinutesAbove;
    }

    public void setDegreeMinutesAbove(Double v) {
        this.degreeMinutesAbove = v;
    }

    public Double getDegreeMinutesBelow() {
        return degreeMinutesBelow;
    }

    public void setDegreeMinutesBelow(Double v) {
        this.degreeMinutesBelow = v;
    }

    public Double getMktCelsius() {
        return mktCelsius;
    }

    public void setMktCelsius(Double v) {
        this.mktCelsius = v;
    }

    public Double getMaxCelsius() {
        return maxCelsius;
    }

    public void setMaxCelsius(Double v) {
        this.maxCelsius = v;
    }

    public Integer getEdgeAttention() {
        return edgeAttention;
    }

    public void setEdgeAttention(Integer v) {
        this.edgeAttention = v;
    }

    public Integer getEvidenceCount() {
        return evidenceCount;
    }

    public void setEvidenceCount(Integer v) {
        this.evidenceCount = v;
    }

    /** Standing: when the current breach verdict was first reached (ISO-8601); absent when not breached. */
    public String getBreachSince() {
        return breachSince;
    }

    public void setBreachSince(String v) {
        this.breachSince = v;
    }

    /** Standing: {@value #PENDING} while a breach verdict waits for confirmation; absent otherwise (sparse GSI). */
    @DynamoDbSecondaryPartitionKey(indexNames = BY_PENDING_BREACH_INDEX)
    public String getPendingBreach() {
        return pendingBreach;
    }

    public void setPendingBreach(String v) {
        this.pendingBreach = v;
    }

    public String getDecidedAt() {
        return decidedAt;
    }

    public void setDecidedAt(String v) {
        this.decidedAt = v;
    }
}
