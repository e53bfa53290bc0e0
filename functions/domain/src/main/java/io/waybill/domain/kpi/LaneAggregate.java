package io.waybill.domain.kpi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The running lane KPIs kept from the canonical stream: sums of its shipments' {@link ShipmentContribution.LanePart}s
 * and a {@link DurationSketch} of their transit times. Mutable; one per lane (or lane shard: two merge).
 */
public final class LaneAggregate {
    private final Lane lane;
    private long shipments;
    private long legs;
    private long inTransit;
    private long arrivalsUnobserved;
    private final DurationSketch transit;

    public LaneAggregate(Lane lane, long shipments, long legs, long inTransit, long arrivalsUnobserved,
                         DurationSketch transit) {
        this.lane = Objects.requireNonNull(lane, "lane");
        this.shipments = shipments;
        this.legs = legs;
        this.inTransit = inTransit;
        this.arrivalsUnobserved = arrivalsUnobserved;
        this.transit = Objects.requireNonNull(transit, "transit");
    }

    public static LaneAggregate empty(Lane lane) {
        return new LaneAggregate(lane, 0, 0, 0, 0, DurationSketch.empty());
    }

    /** Takes one shipment's old part out and its new part in (either may be null: none). */
    public void replace(ShipmentContribution.LanePart before, ShipmentContribution.LanePart after) {
        if (before != null) {
            shipments--;
            legs -= before.legs();
            inTransit -= before.inTransit();
            arrivalsUnobserved -= before.arrivalsUnobserved();
        }
        if (after != null) {
            shipments++;
            legs += after.legs();
            inTransit += after.inTransit();
            arrivalsUnobserved += after.arrivalsUnobserved();
        }
        Multisets.replace(transit, before == null ? List.of() : before.transit(),
                after == null ? List.of() : after.transit());
    }

    public void merge(LaneAggregate other) {
        shipments += other.shipments;
        legs += other.legs;
        inTransit += other.inTransit;
        arrivalsUnobserved += other.arrivalsUnobserved;
        transit.merge(other.transit);
    }

    /**
     * The lane's KPIs, exposure and exceptions given. Without a schedule every departure and arrival is unplanned.
     */
    public LaneKpis kpis(Exposure exposure, ExceptionStats exceptions) {
        return new LaneKpis(lane, (int) shipments, (int) legs, (int) inTransit, (int) arrivalsUnobserved,
                transit.stats(), new OnTime(0, 0, (int) legs), new OnTime(0, 0, (int) transit.count()), exposure,
                exceptions);
    }

    public Lane lane() {
        return lane;
    }

    public long shipments() {
        return shipments;
    }

    public long legs() {
        return legs;
    }

    public long inTransit() {
        return inTransit;
    }

    public long arrivalsUnobserved() {
        return arrivalsUnobserved;
    }

    public DurationSketch transit() {
        return transit;
    }

    /** Sketch helpers. */
    static final class Multisets {
        private Multisets() {
        }

        /** Retracts what is only in {@code before}, adds what is only in {@code after}: equal values do not churn. */
        static void replace(DurationSketch sketch, List<Duration> before, List<Duration> after) {
            java.util.List<Duration> gone = new java.util.ArrayList<>(before);
            java.util.List<Duration> come = new java.util.ArrayList<>();
            for (Duration d : after) {
                if (!gone.remove(d)) {
                    come.add(d);
                }
            }
            gone.forEach(sketch::retract);
            come.forEach(sketch::add);
        }
    }
}
