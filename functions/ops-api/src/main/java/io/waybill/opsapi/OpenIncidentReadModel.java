package io.waybill.opsapi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The incidents that still need people, OPEN or ACKNOWLEDGED, by shipment (port; DynamoDB adapter in
 * {@code io.waybill.opsapi.aws}). What {@code GET /shipments} counts per shipment and filters on, and
 * {@code GET /shipments/{sscc}} lists.
 */
public interface OpenIncidentReadModel {
    /**
     * The open incidents of the fleet, read once per list request.
     *
     * @param byShipment per shipment, the ids of its open incidents, oldest first
     * @param complete   false when there were more than the bound asked for: {@code byShipment} then holds only some
     */
    record Open(Map<String, List<String>> byShipment, boolean complete) {
        public Open {
            byShipment = Map.copyOf(Objects.requireNonNull(byShipment, "byShipment"));
        }
    }

    /** The open incidents, at most {@code max} of them ({@link Open#complete()} says whether that was all). */
    Open open(int max);

    /** One shipment's open incident ids, oldest first. */
    List<String> openOf(String sscc);
}
