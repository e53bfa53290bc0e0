package io.waybill.opsapi;

import io.waybill.domain.coldchain.ShipmentExposure;

import java.util.Optional;

/** The cold-chain evidence store's running exposure of a shipment (port; the store's own read in the wiring). */
@FunctionalInterface
public interface ShipmentExposureReadModel {
    Optional<ShipmentExposure> exposure(String sscc);
}
