package io.waybill.aws.stream;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumer side of the canonical event stream: each Kinesis record is one canonical event as ingest stored it
 * (CloudEvents structured JSON). A record that does not read as a canonical event (a producer of a newer contract, a
 * bug) is not an event this consumer can act on: it is returned separately, with its position, for the caller to
 * log and count; the event itself is in the event store either way.
 */
public final class CanonicalStreamRecords {
    private CanonicalStreamRecords() {
    }

    /**
     * @param events     readable events in stream order
     * @param positions  for each event, the index of its record in the batch
     * @param unreadable "sequence: reason" of the other records
     */
    public record Read(List<CanonicalEvent> events, List<Integer> positions, List<String> unreadable) {
        /** The batch index of the record an index into {@link #events()} came from. */
        public int recordIndex(int eventIndex) {
            return positions.get(eventIndex);
        }
    }

    public static Read read(List<KinesisEvent.KinesisEventRecord> records) {
        List<CanonicalEvent> events = new ArrayList<>(records.size());
        List<Integer> positions = new ArrayList<>(records.size());
        List<String> unreadable = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            KinesisEvent.KinesisEventRecord r = records.get(i);
            ByteBuffer data = r.getKinesis().getData().asReadOnlyBuffer();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            try {
                events.add(CanonicalEventJson.fromJson(CanonicalEventJson.MAPPER.readTree(bytes)));
                positions.add(i);
            } catch (java.io.IOException | RuntimeException e) {
                unreadable.add(r.getKinesis().getSequenceNumber() + ": " + e.getMessage());
            }
        }
        return new Read(events, positions, unreadable);
    }
}
