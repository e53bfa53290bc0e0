package io.waybill.local.esm;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Builds the JSON document Lambda sends to a Kinesis event source mapping's on-failure destination when it discards
 * a batch, in the shape AWS documents:
 * <pre>{@code
 * {"requestContext":{"requestId":"…","functionArn":"arn:aws:lambda:…:function:name",
 *                    "condition":"RetryAttemptsExhausted","approximateInvokeCount":3},
 *  "responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},
 *  "version":"1.0","timestamp":"2019-11-14T00:38:06.021Z",
 *  "KinesisBatchInfo":{"shardId":"shardId-000000000000","startSequenceNumber":"…","endSequenceNumber":"…",
 *                      "approximateArrivalOfFirstRecord":"…","approximateArrivalOfLastRecord":"…",
 *                      "batchSize":10,"streamArn":"arn:aws:kinesis:…:stream/name"}}
 * }</pre>
 * The record carries metadata only, never the records' data: a consumer re-reads them from the stream with
 * GetShardIterator(AT_SEQUENCE_NUMBER) while they are retained.
 */
final class OnFailureRecord {

    /** Retries ran out ({@code MaximumRetryAttempts}). */
    static final String RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted";
    /** A record was older than {@code MaximumRecordAgeInSeconds}. */
    static final String RECORD_AGE_EXCEEDED = "RecordAgeExceeded";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private OnFailureRecord() {
    }

    /**
     * @param requestId     request id of the last invocation (a fresh id if the batch was never invoked)
     * @param functionArn   function ARN
     * @param condition     {@link #RETRY_ATTEMPTS_EXHAUSTED} or {@link #RECORD_AGE_EXCEEDED}
     * @param invokeCount   invocations that included the batch's first record
     * @param functionError {@code "Unhandled"} if the last invocation threw, else {@code null}
     * @param shardId       shard of the batch
     * @param streamArn     stream ARN
     * @param batch         the discarded records, in order
     * @param now           time of the discard
     * @return the JSON document
     */
    static String json(String requestId, String functionArn, String condition, int invokeCount, String functionError,
                       String shardId, String streamArn, List<Record> batch, Instant now) {
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("requestId", requestId);
        requestContext.put("functionArn", functionArn);
        requestContext.put("condition", condition);
        requestContext.put("approximateInvokeCount", invokeCount);

        Map<String, Object> responseContext = new LinkedHashMap<>();
        responseContext.put("statusCode", 200);
        responseContext.put("executedVersion", "$LATEST");
        if (functionError != null) {
            responseContext.put("functionError", functionError);
        }

        Record first = batch.get(0);
        Record last = batch.get(batch.size() - 1);
        Map<String, Object> batchInfo = new LinkedHashMap<>();
        batchInfo.put("shardId", shardId);
        batchInfo.put("startSequenceNumber", first.sequenceNumber());
        batchInfo.put("endSequenceNumber", last.sequenceNumber());
        batchInfo.put("approximateArrivalOfFirstRecord", format(first.approximateArrivalTimestamp()));
        batchInfo.put("approximateArrivalOfLastRecord", format(last.approximateArrivalTimestamp()));
        batchInfo.put("batchSize", batch.size());
        batchInfo.put("streamArn", streamArn);

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("requestContext", requestContext);
        root.put("responseContext", responseContext);
        root.put("version", "1.0");
        root.put("timestamp", format(now));
        root.put("KinesisBatchInfo", batchInfo);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize on-failure record", e);
        }
    }

    private static String format(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }
}
