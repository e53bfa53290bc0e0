package io.waybill.aws.eventstore;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * One stored event: the append-only event store item, which is also its own dedupe marker (no TTL, ever).
 * Key {@code eventKey} = CloudEvents {@code source#id}. GSI {@value #BY_SUBJECT_INDEX}: a shipment's history in
 * event-time order. Boundary timestamps (epoch ms) are kept for latency measurement.
 */
@DynamoDbBean
public class EventItem {
    public static final String BY_SUBJECT_INDEX = "bySubject";

    private String eventKey;
    private String eventId;
    private String source;
    private String type;
    private String subject;
    private String time;
    private String adapter;
    private String eventJson;
    private String shardId;
    private String sequenceNumber;
    private String partitionKey;
    private Long deviceTimeMs;
    private Long edgeTimeMs;
    private Long brokerTimeMs;
    private Long streamArrivalMs;
    private Long handlerStartMs;
    private Long storedAtMs;
    private String contentHash;
    private Integer idScheme;

    @DynamoDbPartitionKey
    public String getEventKey() {
        return eventKey;
    }

    public void setEventKey(String eventKey) {
        this.eventKey = eventKey;
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    @DynamoDbSecondaryPartitionKey(indexNames = BY_SUBJECT_INDEX)
    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    @DynamoDbSecondarySortKey(indexNames = BY_SUBJECT_INDEX)
    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public String getAdapter() {
        return adapter;
    }

    public void setAdapter(String adapter) {
        this.adapter = adapter;
    }

    public String getEventJson() {
        return eventJson;
    }

    public void setEventJson(String eventJson) {
        this.eventJson = eventJson;
    }

    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    public String getPartitionKey() {
        return partitionKey;
    }

    public void setPartitionKey(String partitionKey) {
        this.partitionKey = partitionKey;
    }

    public Long getDeviceTimeMs() {
        return deviceTimeMs;
    }

    public void setDeviceTimeMs(Long deviceTimeMs) {
        this.deviceTimeMs = deviceTimeMs;
    }

    /** When the edge component emitted the message (edge device clock), epoch ms; null off the edge path. */
    public Long getEdgeTimeMs() {
        return edgeTimeMs;
    }

    public void setEdgeTimeMs(Long edgeTimeMs) {
        this.edgeTimeMs = edgeTimeMs;
    }

    public Long getBrokerTimeMs() {
        return brokerTimeMs;
    }

    public void setBrokerTimeMs(Long brokerTimeMs) {
        this.brokerTimeMs = brokerTimeMs;
    }

    public Long getStreamArrivalMs() {
        return streamArrivalMs;
    }

    public void setStreamArrivalMs(Long streamArrivalMs) {
        this.streamArrivalMs = streamArrivalMs;
    }

    public Long getHandlerStartMs() {
        return handlerStartMs;
    }

    public void setHandlerStartMs(Long handlerStartMs) {
        this.handlerStartMs = handlerStartMs;
    }

    public Long getStoredAtMs() {
        return storedAtMs;
    }

    public void setStoredAtMs(Long storedAtMs) {
        this.storedAtMs = storedAtMs;
    }

    /** SHA-256 of the producer's canonical raw message: tells a duplicate from an id conflict. Null on scheme-1 items. */
    public String getContentHash() {
        return contentHash;
    }

    public void setContentHash(String contentHash) {
        this.contentHash = contentHash;
    }

    /** The id scheme the event id was made under; null on items stored before it was recorded (scheme 1). */
    public Integer getIdScheme() {
        return idScheme;
    }

    public void setIdScheme(Integer idScheme) {
        this.idScheme = idScheme;
    }
}
