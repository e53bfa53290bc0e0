package io.waybill.domain.event;

import java.util.List;

/**
 * EPCs read at a read point (EPCIS ObjectEvent, action OBSERVE).
 *
 * @param readPointGln GLN (13 digits) of the place of the read
 * @param readerId     the reader's own id, as configured at the site
 * @param epcs         EPC pure-identity URNs read (SGTIN or SSCC), de-duplicated, sorted
 * @param shipmentSscc the pallet/shipment SSCC if one of the EPCs was an SSCC, else null
 */
public record InventoryObserved(String readPointGln, String readerId, List<String> epcs, String shipmentSscc)
        implements EventData {
    public InventoryObserved {
        epcs = List.copyOf(epcs);
    }

    @Override
    public String subject() {
        return shipmentSscc != null ? shipmentSscc : readPointGln;
    }
}
