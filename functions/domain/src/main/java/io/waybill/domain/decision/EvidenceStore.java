package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFold;
import io.waybill.domain.coldchain.ShipmentExposure;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The cold chain's own store: every piece of temperature evidence per shipment, stored before any decision over it,
 * each marked once it is applied to the shipment's running exposure; and that running exposure
 * ({@link ShipmentExposure}), written conditionally on its version.
 *
 * <p>Every method throws {@link io.waybill.domain.ingestion.TransientDependencyException} when the store could not
 * answer.
 */
public interface EvidenceStore extends ExposureFold.TimelineNeighbours {
    /**
     * Stores the pieces not stored yet (not applied) and says which of the given pieces are not marked applied:
     * the new ones, and those a crashed attempt stored but did not apply or did not mark.
     */
    List<ExposureEvidence> storeNew(String shipmentSscc, Collection<EvidenceArrival> evidence);

    /**
     * Marks stored pieces applied (idempotent), with the time of the decision that first took them into account (the
     * "decided" boundary of the latency chain).
     */
    void markApplied(String shipmentSscc, Collection<ExposureEvidence> applied, java.time.Instant decidedAt);

    /** Every piece stored for the shipment, applied or not. */
    List<Stored> loadAll(String shipmentSscc);

    /** Every piece stored for the shipment. */
    default List<ExposureEvidence> load(String shipmentSscc) {
        return loadAll(shipmentSscc).stream().map(Stored::evidence).toList();
    }

    /** The shipment's running exposure, if any was written. */
    Optional<ShipmentExposure> exposure(String shipmentSscc);

    /**
     * Writes the running exposure with version {@code expectedVersion + 1}, if the stored one still has
     * {@code expectedVersion} (0: none stored).
     *
     * @return false when another writer came first (read again and redo)
     */
    boolean saveExposure(ShipmentExposure state, long expectedVersion);

    /** The shipments whose standing is a breach verdict not acted on yet. */
    List<String> pendingBreaches();

    /**
     * A stored piece of evidence.
     *
     * @param evidence the evidence
     * @param applied  whether it is marked applied to the running exposure
     */
    record Stored(ExposureEvidence evidence, boolean applied) {
    }
}
