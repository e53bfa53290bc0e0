package io.waybill.domain.kpi;

import java.util.Objects;

/**
 * KPIs of one lane. See {@link KpiCalculator} for the exact definitions.
 *
 * @param lane               the lane
 * @param shipments          distinct shipments (SSCCs) with at least one leg on the lane
 * @param legs               legs on the lane (a shipment that runs the lane twice counts twice)
 * @param inTransit          legs departed and not (yet) arrived
 * @param arrivalsUnobserved legs whose arrival was never seen although the shipment later departed elsewhere
 * @param transit            departure-to-arrival durations of the arrived legs
 * @param departures         on-time departures
 * @param arrivals           on-time arrivals (arrived legs only)
 * @param exposure           cold-chain exposure of the lane's shipments
 * @param exceptions         incidents whose time falls within a leg on this lane
 */
public record LaneKpis(Lane lane, int shipments, int legs, int inTransit, int arrivalsUnobserved,
                       DurationStats transit, OnTime departures, OnTime arrivals, Exposure exposure,
                       ExceptionStats exceptions) {
    public LaneKpis {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(transit, "transit");
        Objects.requireNonNull(departures, "departures");
        Objects.requireNonNull(arrivals, "arrivals");
        Objects.requireNonNull(exposure, "exposure");
        Objects.requireNonNull(exceptions, "exceptions");
    }
}
