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
     * Whether each normalised event is checked against its JSON Schema before it is accepted. Default true: the
     * schema is the contract; adapters build typed records, so a violation means an adapter bug, and such an event
     * is dead-lettered rather than stored.
     */
    public static final boolean DEFAULT_CONTRACT_CHECK = true;

    private final int maxRecordBytes;
    private final boolean contractCheck;
    private final ClockSkewPolicy clockSkewPolicy;

    private NormalizerConfig(Builder b) {
        this.maxRecordBytes = b.maxRecordBytes;
        this.contractCheck = b.contractCheck;
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

    public boolean contractCheck() {
        return contractCheck;
    }

    public ClockSkewPolicy clockSkewPolicy() {
        return clockSkewPolicy;
    }

    public static final class Builder {
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private boolean contractCheck = DEFAULT_CONTRACT_CHECK;
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

        public Builder contractCheck(boolean check) {
            this.contractCheck = check;
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
