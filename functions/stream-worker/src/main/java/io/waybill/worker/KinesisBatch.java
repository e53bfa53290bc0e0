package io.waybill.worker;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;

/**
 * One Kinesis stream as Lambda's event source, shared by the {@link LambdaBatchProcessor} and the local runtime's
 * {@code LambdaBatchInvoker}: builds the {@link KinesisEvent} for a batch of one shard exactly as Lambda builds it
 * (eventID {@code shardId:sequenceNumber}, eventSourceARN, region, invokeIdentityArn, a fresh data buffer per
 * invocation), and reads a partial batch response ({@link StreamsEventResponse}) the way Lambda does: the batch
 * failed from its <em>lowest</em> failed sequence number, and an item identifier that is not a sequence number of the
 * batch fails the whole batch.
 */
public final class KinesisBatch {

    private final String streamArn;
    private final String region;
    private final String invokeIdentityArn;

    /**
     * @param streamArn         the stream's ARN (the records' {@code eventSourceARN})
     * @param region            the records' {@code awsRegion}
     * @param invokeIdentityArn the records' {@code invokeIdentityArn} (the function's execution role)
     */
    public KinesisBatch(String streamArn, String region, String invokeIdentityArn) {
        this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
        this.region = Objects.requireNonNull(region, "region");
        this.invokeIdentityArn = Objects.requireNonNull(invokeIdentityArn, "invokeIdentityArn");
    }

    /**
     * Splits an ARN ({@code arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE}) into its six parts.
     *
     * @param streamArn the stream's ARN
     * @return the six parts (the last one, the resource, unsplit)
     * @throws IllegalArgumentException if it is not an ARN
     */
    public static String[] arnParts(String streamArn) {
        String[] parts = streamArn.split(":", 6);
        if (parts.length < 6 || !"arn".equals(parts[0])) {
            throw new IllegalArgumentException("not a Kinesis stream ARN: " + streamArn);
        }
        return parts;
    }

    /** @return the ARN of function {@code functionName} in {@code region} and {@code account} */
    public static String functionArn(String region, String account, String functionName) {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName;
    }

    /** @return the default execution role ARN of function {@code functionName}: {@code role/<functionName>-role} */
    public static String defaultRoleArn(String account, String functionName) {
        return "arn:aws:iam::" + account + ":role/" + functionName + "-role";
    }

    /** @return the stream's ARN */
    public String streamArn() {
        return streamArn;
    }

    /**
     * @param shardId shard the records come from
     * @param records the batch, in shard order
     * @return the event Lambda would hand the function for these records
     */
    public KinesisEvent event(String shardId, List<StreamRecord> records) {
        return event(shardId, records, r -> kinesisRecord(r.sequenceNumber(), r.partitionKey(), r.data().clone(),
                r.approximateArrival(), r.encryptionType()));
    }

    /**
     * @param shardId shard the records come from
     * @param records the batch, in shard order, in whatever type the reader has
     * @param kinesis a record's {@code kinesis} part (see {@link #kinesisRecord})
     * @param <R>     the reader's record type
     * @return the event Lambda would hand the function for these records
     */
    public <R> KinesisEvent event(String shardId, List<R> records, Function<R, KinesisEvent.Record> kinesis) {
        List<KinesisEvent.KinesisEventRecord> out = new ArrayList<>(records.size());
        for (R r : records) {
            KinesisEvent.Record data = kinesis.apply(r);
            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setEventSource("aws:kinesis");
            record.setEventVersion("1.0");
            record.setEventID(shardId + ":" + data.getSequenceNumber());
            record.setEventName("aws:kinesis:record");
            record.setInvokeIdentityArn(invokeIdentityArn);
            record.setAwsRegion(region);
            record.setEventSourceARN(streamArn);
            record.setKinesis(data);
            out.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(out);
        return event;
    }

    /**
     * The {@code kinesis} part of an event record.
     *
     * @param sequenceNumber     sequence number
     * @param partitionKey       partition key
     * @param data               the record's bytes: a fresh copy (a fresh, writable heap buffer per invocation is
     *                           what Lambda's deserializer gives, and a retry is not affected by a handler that
     *                           consumed the previous invocation's buffer)
     * @param approximateArrival approximate arrival timestamp; may be {@code null}
     * @param encryptionType     encryption type; may be {@code null}
     * @return the {@code kinesis} part
     */
    public static KinesisEvent.Record kinesisRecord(String sequenceNumber, String partitionKey, byte[] data,
                                                    Instant approximateArrival, String encryptionType) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setKinesisSchemaVersion("1.0");
        kinesis.setPartitionKey(partitionKey);
        kinesis.setSequenceNumber(sequenceNumber);
        kinesis.setData(ByteBuffer.wrap(data));
        if (approximateArrival != null) {
            kinesis.setApproximateArrivalTimestamp(Date.from(approximateArrival));
        }
        kinesis.setEncryptionType(encryptionType);
        return kinesis;
    }

    /**
     * @param response the handler's response; may be {@code null}
     * @return whether it lists batch item failures (a null response, or a null or empty list, is a success)
     */
    public static boolean reportsFailures(StreamsEventResponse response) {
        return response != null && response.getBatchItemFailures() != null
                && !response.getBatchItemFailures().isEmpty();
    }

    /**
     * Reads a partial batch response with Lambda's rules.
     *
     * @param response        the handler's response; may be {@code null}
     * @param sequenceNumbers sequence numbers of the invoked batch, in shard (ascending) order
     * @return no failure, the position of the lowest failed sequence number, or the first item identifier that is
     *         not a sequence number of the batch
     */
    public static LowestFailure lowestFailure(StreamsEventResponse response, List<String> sequenceNumbers) {
        if (!reportsFailures(response)) {
            return LowestFailure.NONE;
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < sequenceNumbers.size(); i++) {
            positions.put(sequenceNumbers.get(i), i);
        }
        int lowest = Integer.MAX_VALUE;
        for (StreamsEventResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            String id = failure == null ? null : failure.getItemIdentifier();
            Integer position = id == null || id.isEmpty() ? null : positions.get(id);
            if (position == null) {
                return new LowestFailure(-1, true, id);
            }
            // Records of a shard are in ascending sequence-number order: lowest position = lowest sequence number.
            lowest = Math.min(lowest, position);
        }
        return new LowestFailure(lowest, false, null);
    }

    /** @see #lowestFailure(StreamsEventResponse, List) */
    public static <R> LowestFailure lowestFailure(StreamsEventResponse response, List<R> batch,
                                                  Function<R, String> sequenceNumber) {
        return reportsFailures(response)
                ? lowestFailure(response, batch.stream().map(sequenceNumber).toList())
                : LowestFailure.NONE;
    }

    /**
     * What a partial batch response says.
     *
     * @param index        position in the batch of the lowest failed record; -1 if none failed or {@code unknown}
     * @param unknown      whether an item identifier is not a sequence number of the batch (whole batch failed)
     * @param unknownId    that item identifier (may be {@code null})
     */
    public record LowestFailure(int index, boolean unknown, String unknownId) {
        /** No failure listed. */
        public static final LowestFailure NONE = new LowestFailure(-1, false, null);

        /** @return whether the batch succeeded (no failure listed) */
        public boolean none() {
            return !unknown && index < 0;
        }
    }
}
