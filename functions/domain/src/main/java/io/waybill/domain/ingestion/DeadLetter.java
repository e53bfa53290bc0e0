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
 */
public record DeadLetter(byte[] payload, RejectionReason reason, String detail, String adapter, RecordOrigin origin,
                         Instant arrivedAt, Instant deadLetteredAt) {
}
