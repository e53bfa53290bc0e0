package io.waybill.local.esm;

/**
 * Where a new event source mapping starts reading each shard (Lambda's {@code StartingPosition}; AT_TIMESTAMP is
 * not supported locally).
 */
public enum StartingPosition {
    /** The oldest record still in the shard. */
    TRIM_HORIZON,
    /** Only records put after the mapping started reading the shard. */
    LATEST
}
