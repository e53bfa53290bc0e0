package io.waybill.local.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A batch an event source mapping gave up on, as its on-failure destination describes it (AWS's on-failure record
 * for a Kinesis source: metadata only, never the records' data):
 * <pre>{@code
 * {"requestContext":{"requestId":"…","functionArn":"…","condition":"RetryAttemptsExhausted","approximateInvokeCount":3},
 *  "responseContext":{…}, "version":"1.0", "timestamp":"…",
 *  "KinesisBatchInfo":{"shardId":"shardId-000000000000","startSequenceNumber":"…","endSequenceNumber":"…",
 *                      "approximateArrivalOfFirstRecord":"…","approximateArrivalOfLastRecord":"…",
 *                      "batchSize":10,"streamArn":"arn:aws:kinesis:eu-west-1:123456789012:stream/name"}}
 * }</pre>
 * The records are the range {@code [startSequenceNumber, endSequenceNumber]} of the shard, read again from the
 * stream while it still retains them.
 *
 * @param shardId             the shard the records are in
 * @param startSequenceNumber the batch's first record
 * @param endSequenceNumber   the batch's last record
 * @param streamArn           the stream the mapping read
 * @param batchSize           records in the batch, or null when the record does not say
 * @param condition           why the mapping gave up ({@code RetryAttemptsExhausted}, {@code RecordAgeExceeded}), or
 *                            null
 * @param firstArrival        {@code approximateArrivalOfFirstRecord} as written, or null: the range's age
 */
public record FailedBatch(String shardId, String startSequenceNumber, String endSequenceNumber, String streamArn,
                          Integer batchSize, String condition, String firstArrival) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public FailedBatch {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(streamArn, "streamArn");
        if (sequence("startSequenceNumber", startSequenceNumber)
                .compareTo(sequence("endSequenceNumber", endSequenceNumber)) > 0) {
            throw new IllegalArgumentException("startSequenceNumber " + startSequenceNumber
                    + " is after endSequenceNumber " + endSequenceNumber);
        }
    }

    private static BigInteger sequence(String name, String s) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(name + " is not a sequence number: " + s);
        }
        return new BigInteger(s);
    }

    /**
     * Reads an on-failure record.
     *
     * @throws IllegalArgumentException when the body is not one (not JSON, no {@code KinesisBatchInfo}, a field
     *                                  missing or malformed)
     */
    public static FailedBatch fromJson(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode info = root == null ? null : root.get("KinesisBatchInfo");
        if (info == null || !info.isObject()) {
            throw new IllegalArgumentException("no KinesisBatchInfo: not an on-failure record of a Kinesis mapping");
        }
        String arn = text(info, "streamArn");
        if (arn == null || streamName(arn) == null) {
            throw new IllegalArgumentException("KinesisBatchInfo.streamArn is not a Kinesis stream ARN: " + arn);
        }
        String shard = text(info, "shardId");
        if (shard == null || shard.isBlank()) {
            throw new IllegalArgumentException("KinesisBatchInfo.shardId is missing");
        }
        JsonNode size = info.get("batchSize");
        return new FailedBatch(shard, text(info, "startSequenceNumber"), text(info, "endSequenceNumber"), arn,
                size != null && size.canConvertToInt() && size.asInt() > 0 ? size.asInt() : null,
                text(root.path("requestContext"), "condition"), text(info, "approximateArrivalOfFirstRecord"));
    }

    /** The stream's name, from its ARN ({@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}). */
    public String streamName() {
        return streamName(streamArn);
    }

    public BigInteger start() {
        return new BigInteger(startSequenceNumber);
    }

    public BigInteger end() {
        return new BigInteger(endSequenceNumber);
    }

    /** {@code <shard> <start>..<end>}: how a report names the range. */
    public String range() {
        return shardId + " " + startSequenceNumber + ".." + endSequenceNumber;
    }

    static String streamName(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !"arn".equals(parts[0]) || !"kinesis".equals(parts[2])
                || !parts[5].startsWith("stream/") || parts[5].length() == "stream/".length()) {
            return null;
        }
        return parts[5].substring("stream/".length());
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}
