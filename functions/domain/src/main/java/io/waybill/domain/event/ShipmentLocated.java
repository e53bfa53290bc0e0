package io.waybill.domain.event;

/**
 * A position fix for a shipment in transit.
 *
 * @param shipmentSscc SSCC, 18 digits with check digit
 * @param position     the fix
 * @param speedKmh     ground speed in km/h, if reported
 */
public record ShipmentLocated(String shipmentSscc, GeoPoint position, Double speedKmh) implements EventData {
    @Override
    public String subject() {
        return shipmentSscc;
    }
}
