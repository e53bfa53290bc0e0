package io.waybill.ingest;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordOrigin;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;

/** Kinesis event record to raw record, keeping the origin a dead letter needs. */
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

    /** Lambda's eventID is {@code shardId-000000000000:49590338271490256608559692538361571095921575989136588898}. */
    static String shardOf(String eventId) {
        if (eventId == null) {
            return null;
        }
        int colon = eventId.indexOf(':');
        return colon > 0 ? eventId.substring(0, colon) : null;
    }

    private static Instant arrival(Date d) {
        return d == null ? null : d.toInstant();
    }
}
