package io.waybill.domain.ingestion;

import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;

import java.time.Instant;

/**
 * A record that can never become an event as it is, with everything needed to understand and replay it.
 *
 * @param payload        the raw bytes, exactly as they arrived
 * @param reason         the rejection reason code
 * @param detail         what exactly was wrong
 * @param adapter        the adapter that rejected it, or null when none was reached
 * @param origin         stream, shard, sequence number, partition key
 * @param arrivedAt      when the stream accepted it, if known
 * @param deadLetteredAt when it was dead-lettered
 * @param conflict       for {@link RejectionReason#ID_CONFLICT}: the stored event and this record's event; else null
 */
public record DeadLetter(byte[] payload, RejectionReason reason, String detail, String adapter, RecordOrigin origin,
                         Instant arrivedAt, Instant deadLetteredAt, IdConflict conflict) {

    /** A dead letter without an id conflict. */
    public DeadLetter(byte[] payload, RejectionReason reason, String detail, String adapter, RecordOrigin origin,
                      Instant arrivedAt, Instant deadLetteredAt) {
        this(payload, reason, detail, adapter, origin, arrivedAt, deadLetteredAt, null);
    }

    /**
     * Both versions of an id conflict, as canonical event JSON.
     *
     * @param storedEventJson the event stored under the id first
     * @param eventJson       what this record normalised to
     */
    public record IdConflict(String storedEventJson, String eventJson) {
    }
}
