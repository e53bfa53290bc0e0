package io.waybill.domain.kpi;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a canonical event the lane and facility KPIs read: a shipment departed from, or arrived at, a facility.
 * {@link ShipmentDeparted} and {@link ShipmentArrived} with a non-blank SSCC are movements; no other event shapes a
 * leg or a visit ({@link KpiCalculator}).
 *
 * @param shipmentSscc the shipment
 * @param time         event time
 * @param id           CloudEvents id
 * @param source       CloudEvents source
 * @param departure    true for a departure, false for an arrival
 * @param gln          {@code fromGln} / {@code atGln}, or null when the event names no facility
 */
public record Movement(String shipmentSscc, Instant time, String id, String source, boolean departure, String gln) {
    /** {@link KpiCalculator}'s event order: time, then id, then source. */
    public static final Comparator<Movement> ORDER = Comparator.comparing(Movement::time)
            .thenComparing(Movement::id).thenComparing(Movement::source);

    public Movement {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        gln = gln == null || gln.isBlank() ? null : gln;
    }

    /** The movement an event describes, or empty when it is not a departure or arrival of a named shipment. */
    public static Optional<Movement> of(CanonicalEvent e) {
        if (e.data() instanceof ShipmentDeparted d && d.shipmentSscc() != null && !d.shipmentSscc().isBlank()) {
            return Optional.of(new Movement(d.shipmentSscc(), e.time(), e.id(), e.source(), true, d.fromGln()));
        }
        if (e.data() instanceof ShipmentArrived a && a.shipmentSscc() != null && !a.shipmentSscc().isBlank()) {
            return Optional.of(new Movement(a.shipmentSscc(), e.time(), e.id(), e.source(), false, a.atGln()));
        }
        return Optional.empty();
    }

    /** The CloudEvents identity, as {@link CanonicalEvent#eventKey()}. */
    public String eventKey() {
        return source + "#" + id;
    }
}
