package io.waybill.domain.kpi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plan the telemetry is judged against, from a planning system outside Waybill: per shipment (SSCC) a planned
 * departure and arrival, and per lane the allowed transit time (used for arrivals that have no planned arrival).
 * Immutable; {@link #withPlan} and {@link #withAllowedTransit} return a new schedule.
 *
 * @param plans          per shipment SSCC
 * @param allowedTransit per lane, the longest transit that still counts as on time (before the tolerance)
 */
public record ShipmentSchedule(Map<String, ShipmentPlan> plans, Map<Lane, Duration> allowedTransit) {
    private static final ShipmentSchedule EMPTY = new ShipmentSchedule(Map.of(), Map.of());

    public ShipmentSchedule {
        plans = Map.copyOf(plans);
        allowedTransit = Map.copyOf(allowedTransit);
        allowedTransit.values().forEach(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("allowed transit must not be negative: " + d);
            }
        });
    }

    /** No plan at all: every departure and arrival is "unplanned". */
    public static ShipmentSchedule empty() {
        return EMPTY;
    }

    public ShipmentSchedule withPlan(String shipmentSscc, Instant plannedDeparture, Instant plannedArrival) {
        Map<String, ShipmentPlan> next = new TreeMap<>(plans);
        next.put(Objects.requireNonNull(shipmentSscc, "shipmentSscc"), new ShipmentPlan(plannedDeparture, plannedArrival));
        return new ShipmentSchedule(next, allowedTransit);
    }

    public ShipmentSchedule withAllowedTransit(Lane lane, Duration allowed) {
        Map<Lane, Duration> next = new TreeMap<>(allowedTransit);
        next.put(Objects.requireNonNull(lane, "lane"), Objects.requireNonNull(allowed, "allowed"));
        return new ShipmentSchedule(plans, next);
    }

    public Optional<ShipmentPlan> plan(String shipmentSscc) {
        return Optional.ofNullable(plans.get(shipmentSscc));
    }

    public Optional<Duration> allowedTransit(Lane lane) {
        return Optional.ofNullable(allowedTransit.get(lane));
    }
}
