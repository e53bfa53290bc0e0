package io.waybill.domain.normalize;

import io.waybill.domain.time.ClockSkewPolicy;

import java.util.Objects;

/**
 * How raw records are normalised. Immutable; {@link #defaults()} is what the Lambda runs with.
 */
public final class NormalizerConfig {
    /**
     * Largest record accepted, in bytes. Default 128 KiB: the AWS IoT Core message limit, so any larger record did
     * not come through the IoT rule and is rejected before it is parsed.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 128 * 1024;

    /**
     * Which normalised events are checked against their JSON Schema at run time: every one (1), one in N (chosen by
     * event id, so the same events are checked on every replay), or none (0). Default 1, every event. Adapters
     * build typed records whose values they have already validated, so a violation means an adapter bug; such an
     * event is dead-lettered ({@code SCHEMA_VIOLATION}) rather than stored. The tests check every sample and every
     * generated event in full, whatever this is set to.
     */
    public static final int DEFAULT_CONTRACT_CHECK_EVERY = 1;

    private final int maxRecordBytes;
    private final int contractCheckEvery;
    private final ClockSkewPolicy clockSkewPolicy;

    private NormalizerConfig(Builder b) {
        this.maxRecordBytes = b.maxRecordBytes;
        this.contractCheckEvery = b.contractCheckEvery;
        this.clockSkewPolicy = Objects.requireNonNull(b.clockSkewPolicy, "clockSkewPolicy");
    }

    public static NormalizerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** 1 = every event, N = one in N, 0 = none. */
    public int contractCheckEvery() {
        return contractCheckEvery;
    }

    /** Whether the event with this id is one the contract check covers. */
    public boolean contractChecked(String eventId) {
        return contractCheckEvery == 1 || (contractCheckEvery > 1 && Math.floorMod(eventId.hashCode(), contractCheckEvery) == 0);
    }

    public ClockSkewPolicy clockSkewPolicy() {
        return clockSkewPolicy;
    }

    public static final class Builder {
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private int contractCheckEvery = DEFAULT_CONTRACT_CHECK_EVERY;
        private ClockSkewPolicy clockSkewPolicy = ClockSkewPolicy.defaults();

        private Builder() {
        }

        public Builder maxRecordBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxRecordBytes must be positive");
            }
            this.maxRecordBytes = bytes;
            return this;
        }

        /** @param every 1 = check every event, N = one in N (by event id), 0 = none */
        public Builder contractCheckEvery(int every) {
            if (every < 0) {
                throw new IllegalArgumentException("contractCheckEvery must be >= 0");
            }
            this.contractCheckEvery = every;
            return this;
        }

        public Builder clockSkewPolicy(ClockSkewPolicy policy) {
            this.clockSkewPolicy = policy;
            return this;
        }

        public NormalizerConfig build() {
            return new NormalizerConfig(this);
        }
    }
}
