package io.waybill.domain.normalize;

/**
 * Where a raw record came from.
 *
 * @param stream         stream ARN or name (or "stdin:line 12" outside a stream)
 * @param shardId        shard id, if from a stream
 * @param sequenceNumber the record's sequence number in its shard, if from a stream
 * @param partitionKey   the record's partition key, if from a stream
 */
public record RecordOrigin(String stream, String shardId, String sequenceNumber, String partitionKey) {
}
