package io.waybill.domain.event;

/**
 * A shipment reached a place.
 *
 * @param shipmentSscc  SSCC, 18 digits with check digit
 * @param atGln         GLN of the place reached, if known
 * @param position      where the arrival was observed (geofence entry), if known
 * @param grossWeightKg gross weight in kilograms, if reported
 */
public record ShipmentArrived(String shipmentSscc, String atGln, GeoPoint position, Double grossWeightKg)
        implements EventData {
    @Override
    public String subject() {
        return shipmentSscc;
    }
}
