package io.waybill.domain.ingestion;

import io.waybill.domain.projection.ShipmentState;

/** The shipment projection table, with optimistic concurrency on a version number. */
public interface ShipmentStateStore {

    /** A state with the version it was read at; version is null when the shipment has no state yet. */
    record Versioned(ShipmentState state, Long version) {
    }

    /** @throws TransientDependencyException when the store could not answer */
    Versioned load(String shipmentSscc);

    /**
     * Writes the state if the stored version is still {@code expectedVersion} (absent when null).
     *
     * @return false when another writer got there first; the caller reloads and re-applies
     * @throws TransientDependencyException when the store could not answer
     */
    boolean save(ShipmentState state, Long expectedVersion);
}
