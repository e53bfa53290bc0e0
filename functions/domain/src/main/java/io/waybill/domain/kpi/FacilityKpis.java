package io.waybill.domain.kpi;

import java.util.Objects;

/**
 * KPIs of one facility (GLN). See {@link KpiCalculator} for the exact definitions.
 *
 * @param gln               the facility
 * @param shipmentsArrived  distinct shipments seen arriving here
 * @param shipmentsDeparted distinct shipments seen departing from here
 * @param dwell             arrival-to-next-departure durations of completed visits ({@code dwell.count()} = visits)
 * @param present           visits still open: arrived, not departed yet
 * @param exceptions        incidents whose time falls within a visit at this facility
 */
public record FacilityKpis(String gln, int shipmentsArrived, int shipmentsDeparted, DurationStats dwell, int present,
                           ExceptionStats exceptions) {
    public FacilityKpis {
        Objects.requireNonNull(gln, "gln");
        Objects.requireNonNull(dwell, "dwell");
        Objects.requireNonNull(exceptions, "exceptions");
    }

    /** Completed visits: {@code dwell().count()}. */
    public int visits() {
        return dwell.count();
    }
}
