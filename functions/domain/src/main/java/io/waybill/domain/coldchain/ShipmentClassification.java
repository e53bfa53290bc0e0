package io.waybill.domain.coldchain;

import java.util.Objects;

/**
 * The product class a shipment is judged under, and whether it is its own. An UNCLASSIFIED shipment
 * ({@code classified == false}) has no plan naming a product class, or its plan names a class the catalog does not
 * hold: it is judged under the configured default class and must be flagged for attention, never reported as
 * silently normal.
 *
 * @param sscc               the shipment
 * @param productClass       the class to judge it under: its own, or the default when unclassified
 * @param classified         whether {@code productClass} is the shipment's own (from its plan)
 * @param unclassifiedReason why it is unclassified (for logs and reports), null when classified
 */
public record ShipmentClassification(String sscc, ProductClass productClass, boolean classified,
                                     String unclassifiedReason) {
    public ShipmentClassification {
        Objects.requireNonNull(sscc, "sscc");
        Objects.requireNonNull(productClass, "productClass");
        if (classified == (unclassifiedReason != null)) {
            throw new IllegalArgumentException("an unclassified shipment, and only one, has a reason");
        }
    }

    /** The shipment's own class, from its plan. */
    public static ShipmentClassification classified(String sscc, ProductClass productClass) {
        return new ShipmentClassification(sscc, productClass, true, null);
    }

    /** UNCLASSIFIED: judged under {@code defaultClass} for {@code reason}. */
    public static ShipmentClassification unclassified(String sscc, ProductClass defaultClass, String reason) {
        return new ShipmentClassification(sscc, defaultClass, false, Objects.requireNonNull(reason, "reason"));
    }
}
