package io.waybill.opsapi;

import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;

import java.util.Optional;
import java.util.Set;

/** The shipment projection as the ops API reads it (port; DynamoDB adapter in {@code io.waybill.opsapi.aws}). */
public interface ShipmentReadModel {
    /**
     * @param status       only this status, or null
     * @param productClass only shipments whose plan names this class, or null
     * @param onHold       only shipments on quality hold (true) or not on hold (false), or null for both
     * @param open         only shipments with (or without) open incidents, or null for both
     */
    record Filter(ShipmentStatus status, String productClass, Boolean onHold, OpenIncidents open) {
        public Filter(ShipmentStatus status, String productClass, Boolean onHold) {
            this(status, productClass, onHold, null);
        }
    }

    /**
     * Shipments with open incidents ({@code wanted}) or without, given the shipments that have some (read for the
     * request, complete).
     */
    record OpenIncidents(boolean wanted, Set<String> shipments) {
        public OpenIncidents {
            shipments = Set.copyOf(shipments);
        }

        public boolean matches(String sscc) {
            return shipments.contains(sscc) == wanted;
        }
    }

    /**
     * @throws PageTokenRefused when the token was not issued for this filter
     */
    Page<ShipmentState> list(Filter filter, String pageToken, int limit);

    Optional<ShipmentState> find(String sscc);
}
