package io.waybill.edge.model;

/**
 * How badly a product suffers from time outside its band; scales the edge {@linkplain SeverityScorer severity}.
 */
public enum ProductSensitivity {
    /** Produce and goods with a wide tolerance (e.g. root vegetables, beverages): severity x 0.6. */
    LOW(0.6),
    /** Ordinary chilled or frozen food: severity x 1.0. */
    STANDARD(1.0),
    /** Vaccines, biologics, fresh fish: severity x 1.5. */
    HIGH(1.5);

    private final double severityFactor;

    ProductSensitivity(double severityFactor) {
        this.severityFactor = severityFactor;
    }

    /** The factor the raw severity is multiplied by before it is capped at 100. */
    public double severityFactor() {
        return severityFactor;
    }
}
