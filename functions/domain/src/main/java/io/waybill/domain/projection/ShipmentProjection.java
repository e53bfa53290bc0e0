package io.waybill.domain.projection;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CustodyTransferred;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.GeoPoint;
import io.waybill.domain.event.IncidentActioned;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.ShipmentLocated;
import io.waybill.domain.event.ShipmentPlanned;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;

import java.time.Instant;
import java.util.Optional;

/**
 * Folds canonical events into {@link ShipmentState}. Event time decides, not arrival: every part of the state
 * only moves to an event later than the one that set it (ties broken by event id), which makes the fold
 * commutative and idempotent — redelivered, duplicated and out-of-order events all end in the same state.
 */
public final class ShipmentProjection {
    private ShipmentProjection() {
    }

    /** The shipment an event is about, if it is about one. */
    public static Optional<String> shipmentOf(CanonicalEvent e) {
        EventData d = e.data();
        String sscc = null;
        if (d instanceof InventoryObserved x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof ShipmentDeparted x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof ShipmentArrived x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof ShipmentLocated x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof TemperatureObserved x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof TemperatureBreached x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof CustodyTransferred x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof IncidentActioned x) {
            sscc = x.shipmentSscc();
        } else if (d instanceof ShipmentPlanned x) {
            sscc = x.shipmentSscc();
        }
        return Optional.ofNullable(sscc);
    }

    public static ShipmentState apply(ShipmentState s, CanonicalEvent e) {
        Instant t = e.time();
        // An event is identified by its key in the event store (source + id): an id alone is unique only within its
        // source (two devices both at seq-7), and ties at one instant must break the same way whatever the order.
        String id = e.eventKey();
        ShipmentState r = s;
        if (newer(t, id, r.lastEventAt(), r.lastEventId())) {
            r = with(r, b -> {
                b.lastEventAt = t;
                b.lastEventId = id;
                b.lastEventType = e.type();
            });
        }
        EventData data = e.data();
        if (data instanceof ShipmentDeparted d) {
            r = status(r, ShipmentStatus.IN_TRANSIT, t, id);
            r = location(r, d.fromGln(), d.position(), t, id);
        } else if (data instanceof ShipmentArrived d) {
            r = status(r, ShipmentStatus.ARRIVED, t, id);
            r = location(r, d.atGln(), d.position(), t, id);
        } else if (data instanceof ShipmentLocated d) {
            r = location(r, null, d.position(), t, id);
        } else if (data instanceof InventoryObserved d) {
            r = location(r, d.readPointGln(), null, t, id);
        } else if (data instanceof TemperatureObserved d) {
            r = temperature(r, d.meanCelsius(), t, id);
        } else if (data instanceof TemperatureBreached d && d.decision() == null) {
            r = temperature(r, d.observedCelsius(), t, id);
            if (r.lastBreachAt() == null || t.isAfter(r.lastBreachAt())) {
                r = with(r, b -> b.lastBreachAt = t);
            }
        } else if (data instanceof TemperatureBreached d) {
            // A cloud decision is a judgement over readings, not a reading: it changes neither the temperature nor the
            // last breach, it puts the shipment on quality hold. The latest decision (by time, then incident id) names
            // the hold, so the state does not depend on the order decisions arrive in, and a decision after a hold
            // release (a new excursion episode, an escalation) holds the shipment again.
            String incident = d.decision().incidentId();
            if (r.qualityHoldAt() == null || t.isAfter(r.qualityHoldAt())
                    || (t.equals(r.qualityHoldAt()) && incident.compareTo(r.qualityHoldIncidentId()) > 0)) {
                r = with(r, b -> {
                    b.qualityHoldAt = t;
                    b.qualityHoldIncidentId = incident;
                });
            }
        } else if (data instanceof IncidentActioned d && d.action() == IncidentActioned.Action.HOLD_RELEASED) {
            // The latest release (by time, then actor) stands; the hold is released while no decision is later.
            if (r.qualityHoldReleasedAt() == null || t.isAfter(r.qualityHoldReleasedAt())
                    || (t.equals(r.qualityHoldReleasedAt()) && d.actor().compareTo(r.qualityHoldReleasedBy()) > 0)) {
                r = with(r, b -> {
                    b.qualityHoldReleasedAt = t;
                    b.qualityHoldReleasedBy = d.actor();
                });
            }
        } else if (data instanceof ShipmentPlanned d) {
            // Master data: the latest revision (by issue time, then event key) is the plan, whole; a plan arriving after
            // telemetry, departures or a later revision changes nothing else, so any arrival order ends the same.
            ShipmentState.Plan current = r.plan();
            if (current == null || newer(t, id, current.plannedAt(), current.planEventId())) {
                ShipmentState.Plan plan = new ShipmentState.Plan(d.productClass(), d.originGln(), d.destinationGln(),
                        d.plannedDeparture(), d.plannedArrival(), d.monitoringDevices(), d.shipperGln(),
                        d.consigneeGln(), t, id);
                r = with(r, b -> b.plan = plan);
            }
        } else if (data instanceof CustodyTransferred d) {
            if (newer(t, id, r.custodyAt(), r.custodyEventId())) {
                r = with(r, b -> {
                    b.custodianGln = d.toPartyGln();
                    b.custodyAt = t;
                    b.custodyEventId = id;
                });
            }
            if (d.atGln() != null) {
                r = location(r, d.atGln(), null, t, id);
            }
        }
        return r;
    }

    private static ShipmentState status(ShipmentState s, ShipmentStatus status, Instant t, String id) {
        if (!newer(t, id, s.statusAt(), s.statusEventId())) {
            return s;
        }
        return with(s, b -> {
            b.status = status;
            b.statusAt = t;
            b.statusEventId = id;
        });
    }

    private static ShipmentState location(ShipmentState s, String gln, GeoPoint p, Instant t, String id) {
        if ((gln == null && p == null) || !newer(t, id, s.locationAt(), s.locationEventId())) {
            return s;
        }
        return with(s, b -> {
            b.locationGln = gln;
            b.position = p;
            b.locationAt = t;
            b.locationEventId = id;
        });
    }

    private static ShipmentState temperature(ShipmentState s, double celsius, Instant t, String id) {
        if (!newer(t, id, s.temperatureAt(), s.temperatureEventId())) {
            return s;
        }
        return with(s, b -> {
            b.temperatureCelsius = celsius;
            b.temperatureAt = t;
            b.temperatureEventId = id;
        });
    }

    /**
     * (t, key) strictly after (currentAt, currentKey), keys being event-store keys ({@code source#id}); nothing is
     * after itself, so re-applying is a no-op.
     */
    static boolean newer(Instant t, String id, Instant currentAt, String currentId) {
        if (currentAt == null) {
            return true;
        }
        int c = t.compareTo(currentAt);
        return c > 0 || (c == 0 && id.compareTo(currentId) > 0);
    }

    private interface Change {
        void on(Mutable b);
    }

    private static ShipmentState with(ShipmentState s, Change change) {
        Mutable b = new Mutable(s);
        change.on(b);
        return b.build();
    }

    /** Scratch copy used only inside {@link #with}; the state itself stays immutable. */
    private static final class Mutable {
        final String sscc;
        ShipmentStatus status;
        Instant statusAt;
        String statusEventId;
        String locationGln;
        GeoPoint position;
        Instant locationAt;
        String locationEventId;
        Double temperatureCelsius;
        Instant temperatureAt;
        String temperatureEventId;
        Instant lastBreachAt;
        String custodianGln;
        Instant custodyAt;
        String custodyEventId;
        Instant lastEventAt;
        String lastEventId;
        String lastEventType;
        Instant qualityHoldAt;
        String qualityHoldIncidentId;
        Instant qualityHoldReleasedAt;
        String qualityHoldReleasedBy;
        ShipmentState.Plan plan;

        Mutable(ShipmentState s) {
            sscc = s.shipmentSscc();
            status = s.status();
            statusAt = s.statusAt();
            statusEventId = s.statusEventId();
            locationGln = s.locationGln();
            position = s.position();
            locationAt = s.locationAt();
            locationEventId = s.locationEventId();
            temperatureCelsius = s.temperatureCelsius();
            temperatureAt = s.temperatureAt();
            temperatureEventId = s.temperatureEventId();
            lastBreachAt = s.lastBreachAt();
            custodianGln = s.custodianGln();
            custodyAt = s.custodyAt();
            custodyEventId = s.custodyEventId();
            lastEventAt = s.lastEventAt();
            lastEventId = s.lastEventId();
            lastEventType = s.lastEventType();
            qualityHoldAt = s.qualityHoldAt();
            qualityHoldIncidentId = s.qualityHoldIncidentId();
            qualityHoldReleasedAt = s.qualityHoldReleasedAt();
            qualityHoldReleasedBy = s.qualityHoldReleasedBy();
            plan = s.plan();
        }

        ShipmentState build() {
            return new ShipmentState(sscc, status, statusAt, statusEventId, locationGln, position, locationAt,
                    locationEventId, temperatureCelsius, temperatureAt, temperatureEventId, lastBreachAt,
                    custodianGln, custodyAt, custodyEventId, lastEventAt, lastEventId, lastEventType, qualityHoldAt,
                    qualityHoldIncidentId, qualityHoldReleasedAt, qualityHoldReleasedBy, plan);
        }
    }
}
