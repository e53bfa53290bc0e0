package io.waybill.domain.event;

/**
 * A temperature outside the product's band, as detected by a device or the edge.
 *
 * @param shipmentSscc    SSCC of the monitored shipment
 * @param deviceId        the logger's id
 * @param observedCelsius the reading that breached, °C
 * @param limitCelsius    the band limit that was crossed, °C
 * @param limit           which side of the band was crossed
 * @param durationSeconds how long the reading has been outside the band, seconds, if known
 */
public record TemperatureBreached(String shipmentSscc, String deviceId, double observedCelsius, double limitCelsius,
                                  Limit limit, Long durationSeconds) implements EventData {
    public enum Limit { UPPER, LOWER }

    @Override
    public String subject() {
        return shipmentSscc;
    }
}
