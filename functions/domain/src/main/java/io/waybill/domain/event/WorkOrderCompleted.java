package io.waybill.domain.event;

import java.util.List;

/**
 * A production or packing work order finished.
 *
 * @param workOrderId the plant's work-order number
 * @param gtin        GTIN-14 of the product made, check digit valid
 * @param quantity    quantity made, in {@code unit}
 * @param unit        UN/ECE Rec 20 unit code: {@code EA} (each), {@code KGM} (kilogram)
 * @param lineGln     GLN of the production line or site
 * @param outputEpcs  SGTIN URNs of the serialised items made, if serialised
 */
public record WorkOrderCompleted(String workOrderId, String gtin, double quantity, String unit, String lineGln,
                                 List<String> outputEpcs) implements EventData {
    public WorkOrderCompleted {
        outputEpcs = outputEpcs == null ? List.of() : List.copyOf(outputEpcs);
    }

    @Override
    public String subject() {
        return gtin;
    }
}
