package io.waybill.domain.decision;

import io.waybill.domain.incident.ShipmentIncident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shipment exceptions, one per incident id, created once. */
public interface IncidentStore {

    /**
     * What the store holds for an incident after {@link #open}.
     *
     * @param incident          the stored incident (the one just opened, or the one already there)
     * @param opened            whether this call created it
     * @param decisionEventJson the decision event recorded with it when it was opened: the authoritative decision
     * @param decisionRecorded  whether the decision's effects (event, hold, compliance record) were all written
     */
    record Stored(ShipmentIncident incident, boolean opened, String decisionEventJson, boolean decisionRecorded) {
    }

    /**
     * Creates the incident with its decision event unless one with the same id exists; never overwrites.
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the store could not answer
     */
    Stored open(ShipmentIncident incident, String decisionEventJson);

    /** Marks that the decision's effects were all written (idempotent). */
    void markDecisionRecorded(String incidentId);

    /** Raises an open or acknowledged incident's severity (never lowers it). */
    void raiseSeverity(String incidentId, String severity);

    Optional<ShipmentIncident> find(String incidentId);

    /**
     * A shipment's incidents (every product class and episode), any order. May lag a create by moments (an index):
     * callers derive ids from it that the conditional {@link #open} then settles.
     */
    List<ShipmentIncident> forShipment(String shipmentSscc);

    /** Every incident (for reports; a scan). */
    List<ShipmentIncident> all();

    /**
     * OPEN -> ACKNOWLEDGED.
     *
     * @throws IllegalStateException when it is not open
     */
    ShipmentIncident acknowledge(String incidentId, Instant at);

    /**
     * -> RESOLVED with a disposition.
     *
     * @throws IllegalStateException when it is already resolved
     */
    ShipmentIncident resolve(String incidentId, Instant at, String resolution);
}
