package io.waybill.domain.coldchain;

import java.util.Objects;

/**
 * How the cloud's cold-chain decisions are made. Immutable; {@link #builder()} starts from the defaults.
 *
 * @param defaultProductClass the product class of a shipment without its own (see {@link #DEFAULT_PRODUCT_CLASS})
 * @param attentionSeverity   an edge alert scored at or above this (0..100) puts a shipment without a breach on
 *                            {@link ExposureStatus#ATTENTION} (see {@link #DEFAULT_ATTENTION_SEVERITY})
 * @param confirmAfter        how long a breach verdict must hold before it is acted on (see
 *                            {@link #DEFAULT_CONFIRM_AFTER}); zero acts at once
 */
public record ColdChainConfig(ProductClass defaultProductClass, int attentionSeverity, java.time.Duration confirmAfter) {
    /** Chilled biologics 2-8 °C with a 30-minute budget: the reefer trips the edge component watches by default. */
    public static final ProductClass DEFAULT_PRODUCT_CLASS = ProductClass.CHILLED_BIOLOGICS_2_8;
    /**
     * 25: the edge's severity of a plain 5-minute excursion of about 3 °C (the golden trip's unit failure scores 27
     * when it starts); a 40-second door opening raises no alert at all.
     */
    public static final int DEFAULT_ATTENTION_SEVERITY = 25;
    /**
     * 2 minutes: readings arrive out of order (a shard retried, a logger's backlog after a dead zone), and with step
     * interpolation a missing reading can stretch a warm one into a breach that the late reading then undoes. A
     * verdict is acted on (people alerted) only once it has held this long in processing time; within it, late
     * readings can still withdraw it. Kinesis redelivery and a logger's store-and-forward usually catch up within
     * seconds; this bounds the alert delay a real breach pays.
     */
    public static final java.time.Duration DEFAULT_CONFIRM_AFTER = java.time.Duration.ofMinutes(2);

    public ColdChainConfig {
        Objects.requireNonNull(defaultProductClass, "defaultProductClass");
        if (attentionSeverity < 0 || attentionSeverity > 100) {
            throw new IllegalArgumentException("attentionSeverity must be 0..100, was " + attentionSeverity);
        }
        Objects.requireNonNull(confirmAfter, "confirmAfter");
        if (confirmAfter.isNegative()) {
            throw new IllegalArgumentException("confirmAfter must not be negative, was " + confirmAfter);
        }
    }

    public static ColdChainConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private ProductClass defaultProductClass = DEFAULT_PRODUCT_CLASS;
        private int attentionSeverity = DEFAULT_ATTENTION_SEVERITY;
        private java.time.Duration confirmAfter = DEFAULT_CONFIRM_AFTER;

        public Builder defaultProductClass(ProductClass v) {
            this.defaultProductClass = v;
            return this;
        }

        public Builder attentionSeverity(int v) {
            this.attentionSeverity = v;
            return this;
        }

        public Builder confirmAfter(java.time.Duration v) {
            this.confirmAfter = v;
            return this;
        }

        public ColdChainConfig build() {
            return new ColdChainConfig(defaultProductClass, attentionSeverity, confirmAfter);
        }
    }
}
