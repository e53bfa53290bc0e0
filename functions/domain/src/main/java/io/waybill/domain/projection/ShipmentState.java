package io.waybill.domain.projection;

import io.waybill.domain.event.GeoPoint;

import java.time.Instant;

/**
 * A shipment's current state, projected from its events. Each part (status, location, temperature, custody) is
 * last-writer-wins by (event time, event key) on its own, so the state after a set of events is the same whatever
 * order they arrived in, and applying an event twice changes nothing. The {@code ...EventId} parts hold the event's
 * key in the event store ({@code source#id}, {@code CanonicalEvent.eventKey()}): an id alone is unique only within
 * its source.
 *
 * @param shipmentSscc      the shipment
 * @param status            journey status
 * @param statusAt          event time of the event that set {@code status}
 * @param statusEventId     event-store key of that event (tie-breaker)
 * @param locationGln       last known site, if the last location was a site
 * @param position          last known coordinates, if the last location was a fix
 * @param locationAt        event time of the last location
 * @param locationEventId   key of that event
 * @param temperatureCelsius last temperature, °C (window mean, or the breaching reading)
 * @param temperatureAt     event time of that temperature
 * @param temperatureEventId key of that event
 * @param lastBreachAt      event time of the latest temperature breach, if any
 * @param custodianGln      party holding custody after the latest custody transfer
 * @param custodyAt         event time of that transfer
 * @param custodyEventId    key of that event
 * @param lastEventAt       latest event time of any event applied
 * @param lastEventId       key of that event
 * @param lastEventType     its type
 * @param qualityHoldAt     event time of the latest cloud breach decision (opening or escalation; by time, then
 *                          incident id), which puts the shipment on quality hold, or null when none was made
 * @param qualityHoldIncidentId the shipment exception that decision is about, or null
 * @param qualityHoldReleasedAt event time of the latest hold release ({@code waybill.incident.actioned.v1} with
 *                          {@code HOLD_RELEASED}), or null; the hold stands while no release is at or after
 *                          {@code qualityHoldAt}
 * @param qualityHoldReleasedBy who released it (the event's actor), or null
 * @param plan              the shipment's master data: the latest plan revision ({@code waybill.shipment.planned.v1},
 *                          by event time, then event key), or null while no plan arrived
 */
public record ShipmentState(String shipmentSscc,
                            ShipmentStatus status, Instant statusAt, String statusEventId,
                            String locationGln, GeoPoint position, Instant locationAt, String locationEventId,
                            Double temperatureCelsius, Instant temperatureAt, String temperatureEventId,
                            Instant lastBreachAt,
                            String custodianGln, Instant custodyAt, String custodyEventId,
                            Instant lastEventAt, String lastEventId, String lastEventType,
                            Instant qualityHoldAt, String qualityHoldIncidentId,
                            Instant qualityHoldReleasedAt, String qualityHoldReleasedBy,
                            Plan plan) {

    /**
     * A shipment's master data, as its latest plan revision states it. A later revision replaces the whole plan (a
     * field the revision leaves out is gone), so the plan never mixes two revisions.
     *
     * @param productClass      the product class name (catalog name, lower case)
     * @param originGln         where it leaves from
     * @param destinationGln    where it goes
     * @param plannedDeparture  planned departure, or null
     * @param plannedArrival    planned arrival, or null
     * @param monitoringDevices the devices that watch it (thing names, sorted), may be empty
     * @param shipperGln        the shipper, or null
     * @param consigneeGln      the consignee, or null
     * @param plannedAt         event time of the revision (when it was issued)
     * @param planEventId       its event-store key (tie-breaker)
     */
    public record Plan(String productClass, String originGln, String destinationGln, Instant plannedDeparture,
                       Instant plannedArrival, java.util.List<String> monitoringDevices, String shipperGln,
                       String consigneeGln, Instant plannedAt, String planEventId) {
        public Plan {
            java.util.Objects.requireNonNull(productClass, "productClass");
            java.util.Objects.requireNonNull(plannedAt, "plannedAt");
            java.util.Objects.requireNonNull(planEventId, "planEventId");
            monitoringDevices = monitoringDevices == null ? java.util.List.of() : java.util.List.copyOf(monitoringDevices);
        }
    }

    /** A state without a plan (as stored before shipment master data existed). */
    public ShipmentState(String shipmentSscc,
                         ShipmentStatus status, Instant statusAt, String statusEventId,
                         String locationGln, GeoPoint position, Instant locationAt, String locationEventId,
                         Double temperatureCelsius, Instant temperatureAt, String temperatureEventId,
                         Instant lastBreachAt,
                         String custodianGln, Instant custodyAt, String custodyEventId,
                         Instant lastEventAt, String lastEventId, String lastEventType,
                         Instant qualityHoldAt, String qualityHoldIncidentId,
                         Instant qualityHoldReleasedAt, String qualityHoldReleasedBy) {
        this(shipmentSscc, status, statusAt, statusEventId, locationGln, position, locationAt, locationEventId,
                temperatureCelsius, temperatureAt, temperatureEventId, lastBreachAt, custodianGln, custodyAt,
                custodyEventId, lastEventAt, lastEventId, lastEventType, qualityHoldAt, qualityHoldIncidentId,
                qualityHoldReleasedAt, qualityHoldReleasedBy, null);
    }

    /** A state whose hold was never released (as stored before hold releases existed). */
    public ShipmentState(String shipmentSscc,
                         ShipmentStatus status, Instant statusAt, String statusEventId,
                         String locationGln, GeoPoint position, Instant locationAt, String locationEventId,
                         Double temperatureCelsius, Instant temperatureAt, String temperatureEventId,
                         Instant lastBreachAt,
                         String custodianGln, Instant custodyAt, String custodyEventId,
                         Instant lastEventAt, String lastEventId, String lastEventType,
                         Instant qualityHoldAt, String qualityHoldIncidentId) {
        this(shipmentSscc, status, statusAt, statusEventId, locationGln, position, locationAt, locationEventId,
                temperatureCelsius, temperatureAt, temperatureEventId, lastBreachAt, custodianGln, custodyAt,
                custodyEventId, lastEventAt, lastEventId, lastEventType, qualityHoldAt, qualityHoldIncidentId, null,
                null, null);
    }

    /**
     * Whether a cloud breach decision put the shipment on quality hold and no hold release came at or after it (a
     * decision later than the release, such as a new excursion's or an escalation's, holds it again).
     */
    public boolean onQualityHold() {
        return qualityHoldAt != null && (qualityHoldReleasedAt == null || qualityHoldReleasedAt.isBefore(qualityHoldAt));
    }

    public static ShipmentState empty(String sscc) {
        return new ShipmentState(sscc, ShipmentStatus.UNKNOWN, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
