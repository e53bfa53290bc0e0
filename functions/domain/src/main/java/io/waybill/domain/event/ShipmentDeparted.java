package io.waybill.domain.event;

/**
 * A shipment left a place.
 *
 * @param shipmentSscc  SSCC, 18 digits with check digit
 * @param fromGln       GLN of the place left, if known
 * @param position      where the departure was observed (geofence exit), if known
 * @param grossWeightKg gross weight in kilograms, if reported
 * @param carrier       carrier name or code as reported by the partner
 */
public record ShipmentDeparted(String shipmentSscc, String fromGln, GeoPoint position, Double grossWeightKg,
                               String carrier) implements EventData {
    @Override
    public String subject() {
        return shipmentSscc;
    }
}
