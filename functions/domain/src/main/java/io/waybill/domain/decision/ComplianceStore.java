package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ComplianceRecord;

import java.util.List;

/** The append-only compliance records the provenance capability anchors. */
public interface ComplianceStore {
    /**
     * Appends the record unless one with the same shipment and record id exists (never overwrites).
     *
     * @return true when appended now
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the store could not answer
     */
    boolean append(ComplianceRecord record);

    List<ComplianceRecord> forShipment(String shipmentSscc);
}
