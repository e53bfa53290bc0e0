package io.waybill.domain.kpi;

import java.util.List;
import java.util.Objects;

/**
 * The running facility KPIs kept from the canonical stream: sums of its shipments'
 * {@link ShipmentContribution.FacilityPart}s and a {@link DurationSketch} of their dwell times. Mutable.
 */
public final class FacilityAggregate {
    private final String gln;
    private long shipmentsArrived;
    private long shipmentsDeparted;
    private long present;
    private final DurationSketch dwell;

    public FacilityAggregate(String gln, long shipmentsArrived, long shipmentsDeparted, long present,
                             DurationSketch dwell) {
        this.gln = Objects.requireNonNull(gln, "gln");
        this.shipmentsArrived = shipmentsArrived;
        this.shipmentsDeparted = shipmentsDeparted;
        this.present = present;
        this.dwell = Objects.requireNonNull(dwell, "dwell");
    }

    public static FacilityAggregate empty(String gln) {
        return new FacilityAggregate(gln, 0, 0, 0, DurationSketch.empty());
    }

    /** Takes one shipment's old part out and its new part in (either may be null: none). */
    public void replace(ShipmentContribution.FacilityPart before, ShipmentContribution.FacilityPart after) {
        if (before != null) {
            shipmentsArrived -= before.arrived() ? 1 : 0;
            shipmentsDeparted -= before.departed() ? 1 : 0;
            present -= before.present();
        }
        if (after != null) {
            shipmentsArrived += after.arrived() ? 1 : 0;
            shipmentsDeparted += after.departed() ? 1 : 0;
            present += after.present();
        }
        LaneAggregate.Multisets.replace(dwell, before == null ? List.of() : before.dwell(),
                after == null ? List.of() : after.dwell());
    }

    public void merge(FacilityAggregate other) {
        shipmentsArrived += other.shipmentsArrived;
        shipmentsDeparted += other.shipmentsDeparted;
        present += other.present;
        dwell.merge(other.dwell);
    }

    public FacilityKpis kpis(ExceptionStats exceptions) {
        return new FacilityKpis(gln, (int) shipmentsArrived, (int) shipmentsDeparted, dwell.stats(), (int) present,
                exceptions);
    }

    public String gln() {
        return gln;
    }

    public long shipmentsArrived() {
        return shipmentsArrived;
    }

    public long shipmentsDeparted() {
        return shipmentsDeparted;
    }

    public long present() {
        return present;
    }

    public DurationSketch dwell() {
        return dwell;
    }
}
