package io.waybill.domain.partner;

import io.waybill.domain.event.CanonicalEvent;

import java.util.List;
import java.util.Set;

/**
 * What egress knows about one shipment: its parties (GLNs), the egress events seen for it, and which
 * (partner, event) pairs are settled (published, or dead-lettered).
 *
 * @param sscc    the shipment
 * @param parties the GLNs named for it by {@code ShipmentPlanned} and {@code CustodyTransferred}; empty when unknown
 * @param events  the egress events kept for it (any order)
 * @param settled {@link #settledKey} of each settled pair
 */
public record ShipmentFile(String sscc, Set<String> parties, List<CanonicalEvent> events, Set<String> settled) {
    public ShipmentFile {
        parties = Set.copyOf(parties);
        events = List.copyOf(events);
        settled = Set.copyOf(settled);
    }

    public static String settledKey(String partnerId, String eventId) {
        return partnerId + "#" + eventId;
    }

    public boolean partiesKnown() {
        return !parties.isEmpty();
    }
}
