package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ColdChainDecision;
import io.waybill.domain.coldchain.ExposureEvidence;

import java.util.Collection;
import java.util.List;

/**
 * Every piece of temperature evidence per shipment: the cold-chain function's own event-sourced view, written before
 * each decision, so a decision sees all the evidence whatever order the stream delivered it in.
 */
public interface EvidenceStore {
    /**
     * Stores the evidence with its boundary times; storing the same evidence again (same shipment and id) changes
     * only its decision time (the latest decision that took it into account).
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the store could not answer
     */
    void putAll(Collection<EvidenceArrival> evidence);

    /** All evidence stored for the shipment. */
    List<ExposureEvidence> load(String shipmentSscc);

    /**
     * Records the shipment's latest standing (status and figures), overwriting the previous one.
     *
     * @param breachSince when the breach verdict was first reached and has held since (null when not breached)
     * @param pending     a breach verdict not yet acted on (listed by {@link #pendingBreaches()})
     */
    void saveStanding(ColdChainDecision decision, java.time.Instant breachSince, boolean pending);

    /** When the shipment's current breach verdict was first reached, if its standing says it is breached. */
    java.util.Optional<java.time.Instant> breachSince(String shipmentSscc);

    /** The shipments whose standing is a breach verdict not acted on yet. */
    List<String> pendingBreaches();
}
