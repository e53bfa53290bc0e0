package io.waybill.aws.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordOrigin;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The Kinesis event source mapping's side of a stream consumer: event records to raw records (keeping the origin a
 * dead letter needs), and the partial batch response. Shared by the stream-consuming handlers.
 */
public final class KinesisRecords {
    private KinesisRecords() {
    }

    public static RawRecord toRawRecord(KinesisEvent.KinesisEventRecord r) {
        KinesisEvent.Record k = r.getKinesis();
        ByteBuffer data = k.getData().asReadOnlyBuffer();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return new RawRecord(bytes, new RecordOrigin(r.getEventSourceARN(), shardOf(r.getEventID()),
                k.getSequenceNumber(), k.getPartitionKey()), arrival(k.getApproximateArrivalTimestamp()));
    }

    /** The event's records (none when Lambda sends a null list), in stream order. */
    public static List<KinesisEvent.KinesisEventRecord> of(KinesisEvent event) {
        return event.getRecords() == null ? List.of() : event.getRecords();
    }

    /** The records as raw records, keeping each one's origin. */
    public static List<RawRecord> toRawRecords(List<KinesisEvent.KinesisEventRecord> records) {
        return records.stream().map(KinesisRecords::toRawRecord).toList();
    }

    /**
     * The partial batch response: empty when every record was handled, else the sequence number of the first record
     * to redeliver (the event source mapping must have {@code ReportBatchItemFailures} on).
     */
    public static StreamsEventResponse response(List<KinesisEvent.KinesisEventRecord> records,
                                                java.util.OptionalInt retryFrom) {
        if (retryFrom.isEmpty()) {
            return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
        }
        String sequence = records.get(retryFrom.getAsInt()).getKinesis().getSequenceNumber();
        return StreamsEventResponse.builder()
                .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(sequence)))
                .build();
    }

    /** Lambda's eventID is {@code shardId-000000000000:49590338271490256608559692538361571095921575989136588898}. */
    public static String shardOf(String eventId) {
        if (eventId == null) {
            return null;
        }
        int colon = eventId.indexOf(':');
        return colon > 0 ? eventId.substring(0, colon) : null;
    }

    /**
     * The newest stream arrival among the records a batch processed: all of them, or those before the first record
     * redelivered. Empty when none was processed or none carries an arrival time.
     */
    public static java.util.Optional<Instant> newestArrival(List<KinesisEvent.KinesisEventRecord> records,
                                                           java.util.OptionalInt retryFrom) {
        int processed = retryFrom.isPresent() ? retryFrom.getAsInt() : records.size();
        Instant newest = null;
        for (int i = 0; i < processed; i++) {
            Instant a = arrival(records.get(i).getKinesis().getApproximateArrivalTimestamp());
            if (a != null && (newest == null || a.isAfter(newest))) {
                newest = a;
            }
        }
        return java.util.Optional.ofNullable(newest);
    }

    private static Instant arrival(Date d) {
        return d == null ? null : d.toInstant();
    }
}
