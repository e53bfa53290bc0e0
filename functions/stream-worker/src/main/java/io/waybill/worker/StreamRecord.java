package io.waybill.worker;

import java.time.Instant;
import java.util.Objects;

/**
 * One Kinesis record as stored in the stream (KPL aggregates are not de-aggregated, as Lambda does not).
 *
 * @param sequenceNumber          sequence number in the shard
 * @param partitionKey            partition key
 * @param data                    the record's bytes (not copied: do not modify)
 * @param approximateArrival      approximate arrival timestamp; may be {@code null}
 * @param encryptionType          {@code NONE} or {@code KMS}; may be {@code null}
 */
public record StreamRecord(String sequenceNumber, String partitionKey, byte[] data, Instant approximateArrival,
                           String encryptionType) {

    public StreamRecord {
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }
}
