package io.waybill.domain.coldchain;

import java.util.Objects;

/**
 * How the cloud's cold-chain decisions are made. Immutable; {@link #builder()} starts from the defaults.
 *
 * @param defaultProductClass the product class of a shipment without its own (see {@link #DEFAULT_PRODUCT_CLASS})
 * @param attentionSeverity   an edge alert scored at or above this (0..100) puts a shipment without a breach on
 *                            {@link ExposureStatus#ATTENTION} (see {@link #DEFAULT_ATTENTION_SEVERITY})
 */
public record ColdChainConfig(ProductClass defaultProductClass, int attentionSeverity) {
    /** Chilled biologics 2-8 °C with a 30-minute budget: the reefer trips the edge component watches by default. */
    public static final ProductClass DEFAULT_PRODUCT_CLASS = ProductClass.CHILLED_BIOLOGICS_2_8;
    /**
     * 25: the edge's severity of a plain 5-minute excursion of about 3 °C (the golden trip's unit failure scores 27
     * when it starts); a 40-second door opening raises no alert at all.
     */
    public static final int DEFAULT_ATTENTION_SEVERITY = 25;

    public ColdChainConfig {
        Objects.requireNonNull(defaultProductClass, "defaultProductClass");
        if (attentionSeverity < 0 || attentionSeverity > 100) {
            throw new IllegalArgumentException("attentionSeverity must be 0..100, was " + attentionSeverity);
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

        public Builder defaultProductClass(ProductClass v) {
            this.defaultProductClass = v;
            return this;
        }

        public Builder attentionSeverity(int v) {
            this.attentionSeverity = v;
            return this;
        }

        public ColdChainConfig build() {
            return new ColdChainConfig(defaultProductClass, attentionSeverity);
        }
    }
}
