package io.waybill.domain.kpi;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Folding a batch of one shipment's movements into the incremental KPIs: the shipment's state before and after, and
 * the difference of its contributions, to apply to the lane and facility aggregates it touches.
 *
 * <p><b>Why idempotent.</b> The per-shipment state is a set of movements keyed by event identity
 * ({@link ShipmentMovements#fold}): a resent or replayed event leaves it {@link #changed() unchanged}, and an
 * unchanged state applies nothing. The aggregates hold only sums of per-shipment contributions, each replaced as a
 * whole (old out, new in) when the state changes, so they always equal the sum over the current states, whatever the
 * order the events came in. The store writes the new state and the aggregate updates in one transaction, conditional
 * on the state's version, so a crash or a concurrent fold cannot apply a difference twice. (A dedupe marker per event
 * would stop resends but not late events: a departure that arrives after its leg's arrival changes figures already
 * counted, and only the shipment's whole state says how.)
 *
 * @param before state read
 * @param after  state after the fold
 */
public record ShipmentFold(ShipmentMovements before, ShipmentMovements after) {
    public ShipmentFold {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public static ShipmentFold of(ShipmentMovements before, Collection<Movement> movements) {
        return new ShipmentFold(before, before.fold(movements));
    }

    /** False when every movement was already known: nothing to write. */
    public boolean changed() {
        return before != after && !before.equals(after);
    }

    /** +1 when the shipment got its first movement. */
    public int newShipments() {
        return before.isEmpty() && !after.isEmpty() ? 1 : 0;
    }

    /** Distinct movement events added. */
    public int newMovements() {
        return after.byEventKey().size() - before.byEventKey().size();
    }

    /** The lanes and facilities whose aggregates change, and how. */
    public Delta delta() {
        ShipmentContribution was = before.isEmpty() ? ShipmentContribution.NONE : before.contribution();
        ShipmentContribution is = after.isEmpty() ? ShipmentContribution.NONE : after.contribution();
        Map<Lane, ShipmentContribution.LanePart[]> lanes = new TreeMap<>();
        for (Lane lane : union(was.lanes().keySet(), is.lanes().keySet())) {
            ShipmentContribution.LanePart a = was.lanes().get(lane);
            ShipmentContribution.LanePart b = is.lanes().get(lane);
            if (!Objects.equals(a, b)) {
                lanes.put(lane, new ShipmentContribution.LanePart[] {a, b});
            }
        }
        Map<String, ShipmentContribution.FacilityPart[]> facilities = new TreeMap<>();
        for (String gln : union(was.facilities().keySet(), is.facilities().keySet())) {
            ShipmentContribution.FacilityPart a = was.facilities().get(gln);
            ShipmentContribution.FacilityPart b = is.facilities().get(gln);
            if (!Objects.equals(a, b)) {
                facilities.put(gln, new ShipmentContribution.FacilityPart[] {a, b});
            }
        }
        return new Delta(lanes, facilities);
    }

    /**
     * Per changed lane and facility: {before, after} parts (either null).
     *
     * @param lanes      lane -> {old part, new part}
     * @param facilities GLN -> {old part, new part}
     */
    public record Delta(Map<Lane, ShipmentContribution.LanePart[]> lanes,
                        Map<String, ShipmentContribution.FacilityPart[]> facilities) {
        /** Applies the difference to the aggregates the functions return (read or created by the caller). */
        public void applyTo(Function<Lane, LaneAggregate> lane, Function<String, FacilityAggregate> facility) {
            lanes.forEach((l, parts) -> lane.apply(l).replace(parts[0], parts[1]));
            facilities.forEach((g, parts) -> facility.apply(g).replace(parts[0], parts[1]));
        }
    }

    private static <T extends Comparable<T>> TreeSet<T> union(Collection<T> a, Collection<T> b) {
        TreeSet<T> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
