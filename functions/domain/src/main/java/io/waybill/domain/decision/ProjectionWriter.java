package io.waybill.domain.decision;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.projection.ShipmentProjection;
import io.waybill.domain.projection.ShipmentState;

/**
 * Folds one event the cold chain or the incident desk wrote into the shipment projection, with optimistic locking
 * (the projection's fold is idempotent, so a retry re-applies safely).
 */
public final class ProjectionWriter {
    /** Optimistic-lock attempts before giving up (a retry of the caller follows). */
    public static final int ATTEMPTS = 5;

    private ProjectionWriter() {
    }

    /**
     * @return the state after the event
     * @throws TransientDependencyException after {@value #ATTEMPTS} version conflicts
     */
    public static ShipmentState apply(ShipmentStateStore shipments, CanonicalEvent event) {
        String sscc = event.subject();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ShipmentStateStore.Versioned current = shipments.load(sscc);
            // No projection yet (Versioned(null, null)): the decision may arrive before ingest stored anything.
            boolean absent = current == null || current.state() == null;
            ShipmentState before = absent ? ShipmentState.empty(sscc) : current.state();
            ShipmentState after = ShipmentProjection.apply(before, event);
            if (after.equals(before) || shipments.save(after, absent ? null : current.version())) {
                return after;
            }
        }
        throw new TransientDependencyException("shipment projection", "version conflicts on " + sscc + " after "
                + ATTEMPTS + " attempts", null);
    }
}
