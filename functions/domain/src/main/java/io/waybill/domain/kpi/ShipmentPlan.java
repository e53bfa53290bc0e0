package io.waybill.domain.kpi;

import java.time.Instant;

/**
 * What the planning system promised for one shipment, end to end. Either time may be absent.
 *
 * @param plannedDeparture when the shipment should leave its first origin (judges the first leg's departure), or null
 * @param plannedArrival   when it should reach its final destination (judges the last observed leg's arrival), or null
 */
public record ShipmentPlan(Instant plannedDeparture, Instant plannedArrival) {
    public static ShipmentPlan departure(Instant plannedDeparture) {
        return new ShipmentPlan(plannedDeparture, null);
    }

    public static ShipmentPlan arrival(Instant plannedArrival) {
        return new ShipmentPlan(null, plannedArrival);
    }
}
