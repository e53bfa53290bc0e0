package io.waybill.domain.coldchain;

import java.util.Objects;

/**
 * The product class a shipment is judged under, and whether it is its own.
 *
 * @param shipmentSscc the shipment
 * @param productClass the class its plan names, or the stage's default
 * @param classified   false when the shipment has no plan or its plan names an unknown class: it is then judged under
 *                     the default and flagged UNCLASSIFIED (attention, never silently normal)
 */
public record ShipmentClassification(String shipmentSscc, ProductClass productClass, boolean classified) {
    public ShipmentClassification {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(productClass, "productClass");
    }
}
