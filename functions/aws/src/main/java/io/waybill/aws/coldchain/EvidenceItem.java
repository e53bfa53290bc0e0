package io.waybill.aws.coldchain;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * One row of the exposure table: per shipment ({@code shipmentSscc}), either a piece of temperature evidence or the
 * shipment's standing with its running exposure ({@code recordKey = STANDING}). Evidence keys sort along each probe's
 * time line, so the pieces around a late one are one short Query away:
 * <ul>
 *   <li>readings and summaries: {@code E#P#<probe>#<start epoch ms, 15 digits>#<celsius key>#<evidence id>};</li>
 *   <li>excursion reports: {@code E#X#<probe>#<start epoch ms>#<evidence id>}.</li>
 * </ul>
 */
@DynamoDbBean
public class EvidenceItem {
    public static final String EVIDENCE_PREFIX = "E#";
    /** Primary evidence (readings, summaries) of a probe: {@code E#P#<probe>#...}. */
    public static final String PRIMARY_PREFIX = "E#P#";
    /** Excursion reports of a probe: {@code E#X#<probe>#...}. */
    public static final String EXCURSION_PREFIX = "E#X#";
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
    private String evidenceId;
    private String kind;
    private String deviceId;
    private String probeId;
    private String producerId;
    private Long sequence;
    private String start;
    private String end;
    private Double celsius;
    private Double minCelsius;
    private Double maxCelsius;
    private Integer readingCount;
    private String statistics;
    private Integer edgeSeverity;
    private Boolean applied;
    private String brokerTime;
    private String streamTime;
    private String status;
    private String productClass;
    private Integer edgeAttention;
    private Integer evidenceCount;
    private String exposure;
    private Long version;
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

    /** Evidence: the event id. */
    public String getEvidenceId() {
        return evidenceId;
    }

    public void setEvidenceId(String v) {
        this.evidenceId = v;
    }

    /** Evidence: POINT, WINDOW or EXCURSION. */
    public String getKind() {
        return kind;
    }

    public void setKind(String v) {
        this.kind = v;
    }

    /** Evidence: the device id the payload names. */
    public String getDeviceId() {
        return deviceId;
    }

    public void setDeviceId(String v) {
        this.deviceId = v;
    }

    /** Evidence: the probe (see ExposureEvidence#probeId). */
    public String getProbeId() {
        return probeId;
    }

    public void setProbeId(String v) {
        this.probeId = v;
    }

    /** Evidence: the producing device or partner. */
    public String getProducerId() {
        return producerId;
    }

    public void setProducerId(String v) {
        this.producerId = v;
    }

    /** Evidence: the producer's message sequence, if any. */
    public Long getSequence() {
        return sequence;
    }

    public void setSequence(Long v) {
        this.sequence = v;
    }

    /** Evidence: start, ISO-8601. */
    public String getStart() {
        return start;
    }

    public void setStart(String v) {
        this.start = v;
    }

    /** Evidence: end, ISO-8601. */
    public String getEnd() {
        return end;
    }

    public void setEnd(String v) {
        this.end = v;
    }

    /** Evidence: reading, mean or observed temperature. */
    public Double getCelsius() {
        return celsius;
    }

    public void setCelsius(Double v) {
        this.celsius = v;
    }

    /** Evidence: lowest reading covered. */
    public Double getMinCelsius() {
        return minCelsius;
    }

    public void setMinCelsius(Double v) {
        this.minCelsius = v;
    }

    /** Evidence: highest reading covered. */
    public Double getMaxCelsius() {
        return maxCelsius;
    }

    public void setMaxCelsius(Double v) {
        this.maxCelsius = v;
    }

    /** Evidence: readings covered. */
    public Integer getReadingCount() {
        return readingCount;
    }

    public void setReadingCount(Integer v) {
        this.readingCount = v;
    }

    /** Evidence: a summary's exposure statistics as JSON, if any. */
    public String getStatistics() {
        return statistics;
    }

    public void setStatistics(String v) {
        this.statistics = v;
    }

    /** Evidence: the edge's severity of an excursion report. */
    public Integer getEdgeSeverity() {
        return edgeSeverity;
    }

    public void setEdgeSeverity(Integer v) {
        this.edgeSeverity = v;
    }

    /** Evidence: true once applied to the shipment's running exposure. */
    public Boolean getApplied() {
        return applied;
    }

    public void setApplied(Boolean v) {
        this.applied = v;
    }

    /** Evidence: broker receipt, ISO-8601. */
    public String getBrokerTime() {
        return brokerTime;
    }

    public void setBrokerTime(String v) {
        this.brokerTime = v;
    }

    /** Evidence: stream arrival, ISO-8601. */
    public String getStreamTime() {
        return streamTime;
    }

    public void setStreamTime(String v) {
        this.streamTime = v;
    }

    /** Standing: NORMAL, ATTENTION, BREACHED, or BREACH_PENDING while a breach waits for confirmation. */
    public String getStatus() {
        return status;
    }

    public void setStatus(String v) {
        this.status = v;
    }

    /** Standing: the product class the exposure was measured against. */
    public String getProductClass() {
        return productClass;
    }

    public void setProductClass(String v) {
        this.productClass = v;
    }

    /** Standing: the highest edge severity. */
    public Integer getEdgeAttention() {
        return edgeAttention;
    }

    public void setEdgeAttention(Integer v) {
        this.edgeAttention = v;
    }

    /** Standing: evidence pieces applied. */
    public Integer getEvidenceCount() {
        return evidenceCount;
    }

    public void setEvidenceCount(Integer v) {
        this.evidenceCount = v;
    }

    /** Standing: the running exposure (ShipmentExposure) as JSON. */
    public String getExposure() {
        return exposure;
    }

    public void setExposure(String v) {
        this.exposure = v;
    }

    /** Standing: the running exposure's version; each write is conditional on the previous one. */
    public Long getVersion() {
        return version;
    }

    public void setVersion(Long v) {
        this.version = v;
    }

    /** Evidence: first stored (the decision over it follows at once); standing: the latest decision. */
    public String getDecidedAt() {
        return decidedAt;
    }

    public void setDecidedAt(String v) {
        this.decidedAt = v;
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

    private String worstProbe;
    private Double torSeconds;
    private Double unknownSeconds;

    /** Standing: the probe whose figures decided. */
    public String getWorstProbe() {
        return worstProbe;
    }

    public void setWorstProbe(String v) {
        this.worstProbe = v;
    }

    /** Standing: the worst probe's time out of range, seconds. */
    public Double getTorSeconds() {
        return torSeconds;
    }

    public void setTorSeconds(Double v) {
        this.torSeconds = v;
    }

    /** Standing: the worst probe's time without evidence, seconds. */
    public Double getUnknownSeconds() {
        return unknownSeconds;
    }

    public void setUnknownSeconds(Double v) {
        this.unknownSeconds = v;
    }
}
