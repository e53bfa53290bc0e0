package io.waybill.domain.kpi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One shipment's movements (departures and arrivals), de-duplicated by CloudEvents identity: the state the
 * incremental KPIs keep per shipment. Of two copies of one event the first in {@link Movement#ORDER} is kept, as
 * {@link KpiCalculator} keeps it, so folding is commutative, associative and idempotent: the same set of events in any
 * order, with any resends, gives the same state. A shipment has a handful of movements per leg, not one per reading,
 * so the state stays small whatever the trip's length.
 *
 * @param shipmentSscc the shipment
 * @param byEventKey   movements by {@link Movement#eventKey()}
 */
public record ShipmentMovements(String shipmentSscc, Map<String, Movement> byEventKey) {
    public ShipmentMovements {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        byEventKey = Map.copyOf(byEventKey);
    }

    public static ShipmentMovements none(String shipmentSscc) {
        return new ShipmentMovements(shipmentSscc, Map.of());
    }

    /** This state with the movements folded in; {@code this} itself when none of them changes anything. */
    public ShipmentMovements fold(Collection<Movement> movements) {
        Map<String, Movement> next = null;
        for (Movement m : movements) {
            if (!shipmentSscc.equals(m.shipmentSscc())) {
                throw new IllegalArgumentException("movement of " + m.shipmentSscc() + " folded into " + shipmentSscc);
            }
            Map<String, Movement> current = next == null ? byEventKey : next;
            Movement kept = current.get(m.eventKey());
            if (kept == null || Movement.ORDER.compare(m, kept) < 0) {
                if (next == null) {
                    next = new TreeMap<>(byEventKey);
                }
                next.put(m.eventKey(), m);
            }
        }
        return next == null ? this : new ShipmentMovements(shipmentSscc, next);
    }

    /** In {@link Movement#ORDER}. */
    public List<Movement> ordered() {
        List<Movement> list = new ArrayList<>(byEventKey.values());
        list.sort(Movement.ORDER);
        return list;
    }

    public boolean isEmpty() {
        return byEventKey.isEmpty();
    }

    /** What this shipment adds to its lanes' and facilities' KPIs. */
    public ShipmentContribution contribution() {
        return ShipmentContribution.of(KpiCalculator.Track.walk(shipmentSscc, ordered()));
    }
}
