package io.waybill.domain.decision;

import java.util.Optional;

/**
 * Port: the shipment master data the cold chain needs, read from the shipment projection (the latest
 * {@code waybill.shipment.planned.v1} revision per shipment).
 */
public interface ShipmentPlans {
    /**
     * The product class name the shipment's plan names, as the plan writes it (not checked against a catalog).
     *
     * @return empty when the shipment has no plan
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the projection cannot be read (the
     *                                                                   caller retries; it must not judge without it)
     */
    Optional<String> productClassOf(String sscc);
}
