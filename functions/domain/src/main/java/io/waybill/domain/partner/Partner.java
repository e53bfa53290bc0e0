package io.waybill.domain.partner;

import io.waybill.domain.event.EventType;

import java.util.Objects;
import java.util.Set;

/**
 * A partner in the master data: who it is, which canonical event types it has chosen, and what it is party to.
 *
 * @param id         the partner's id; it is written into every entry's {@code detail.partner}, which the partner's
 *                   EventBridge rule matches
 * @param eventTypes the canonical types it receives (a subset of {@link PartnerEgress#EGRESS_TYPES})
 * @param glns       the GLNs it acts as (its sites, its company): it sees a shipment when one of them is the
 *                   shipment's origin, destination, shipper, consignee or a custody party
 * @param ssccs      shipments it sees whatever their parties (an explicit grant); may be empty
 */
public record Partner(String id, Set<EventType> eventTypes, Set<String> glns, Set<String> ssccs) {
    public Partner {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a partner has an id");
        }
        eventTypes = Set.copyOf(eventTypes);
        glns = Set.copyOf(glns);
        ssccs = ssccs == null ? Set.of() : Set.copyOf(ssccs);
        for (EventType t : eventTypes) {
            if (!PartnerEgress.EGRESS_TYPES.contains(t)) {
                throw new IllegalArgumentException("partner " + id + ": " + t.type() + " is not sent to partners");
            }
        }
    }

    /** Whether this partner may see a shipment with these parties. */
    public boolean sees(String sscc, Set<String> parties) {
        if (ssccs.contains(sscc)) {
            return true;
        }
        for (String gln : parties) {
            if (glns.contains(gln)) {
                return true;
            }
        }
        return false;
    }
}
