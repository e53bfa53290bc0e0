package io.waybill.domain.normalize;

import java.time.Instant;
import java.util.Objects;

/**
 * One record as it sat on the stream, with where it came from: everything a dead letter needs to be replayed.
 *
 * @param payload        the record's bytes, untouched
 * @param origin         stream, shard, sequence number, partition key
 * @param streamArrival  when the stream accepted it (Kinesis approximate arrival), if known
 */
public record RawRecord(byte[] payload, RecordOrigin origin, Instant streamArrival) {
    public RawRecord {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(origin, "origin");
    }

    /** A record read from somewhere other than a stream (stdin, a file): only a position to report. */
    public static RawRecord of(byte[] payload, String where) {
        return new RawRecord(payload, new RecordOrigin(where, null, null, null), null);
    }
}
