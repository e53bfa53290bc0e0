package io.waybill.domain.device;

/**
 * What a device may report on.
 *
 * <ul>
 *   <li>{@link #SHIPMENT}: a device that travels with shipments (a reefer logger, a GPS tracker, an edge gateway): an
 *       event about a shipment counts only while the device is assigned to that shipment
 *       ({@link ShipmentAssignment}); otherwise it is {@code UNASSIGNED}.</li>
 *   <li>{@link #SITE}: a fixed reader at a facility (an RFID portal): it observes whatever passes, so its events need no
 *       assignment.</li>
 * </ul>
 */
public enum DeviceScope {
    SHIPMENT,
    SITE;

    /** The scope a device of this adapter gets when registration does not say: RFID portals are fixed, the rest travel. */
    public static DeviceScope defaultFor(String adapterId) {
        return "rfid-portal".equals(adapterId) ? SITE : SHIPMENT;
    }
}
