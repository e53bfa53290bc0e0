package io.waybill.domain.partner;

import io.waybill.domain.event.CanonicalEvent;

import java.util.Set;

/**
 * The egress projection of the canonical stream, per shipment: the parties (a grow-only set of GLNs, so any order
 * and any redelivery of the facts ends in the same set), the egress events kept until every partner that may see
 * them has them, and the settled (partner, event) pairs. Every write is idempotent.
 *
 * <p>A party once named stays a party: a revised plan that changes the destination does not take the earlier
 * destination's view of the shipment away (it was party to the events so far). A later revision could; that would
 * need the plan's revision time kept with each party.
 */
public interface ShipmentParties {

    /** Adds parties to the shipment (set union). */
    void addParties(String sscc, Set<String> glns);

    /** Keeps an egress event for the shipment (idempotent by event id). */
    void keep(String sscc, CanonicalEvent event);

    /** Marks a (partner, event) pair settled: published, or dead-lettered with its reason. */
    void settle(String sscc, String partnerId, String eventId);

    /** All that is known about the shipment (empty parties and no events when nothing is). */
    ShipmentFile file(String sscc);
}
