package io.waybill.domain.projection;

/** Where a shipment is in its journey, as far as the latest status-bearing event (by event time) says. */
public enum ShipmentStatus {
    /** Known from telemetry only; no departure or arrival seen yet. */
    UNKNOWN,
    /** Departed a site (partner DEP or geofence exit) and not yet arrived. */
    IN_TRANSIT,
    /** Arrived at a site (partner ARR or geofence entry). */
    ARRIVED
}
