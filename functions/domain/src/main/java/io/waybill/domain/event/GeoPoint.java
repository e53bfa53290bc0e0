package io.waybill.domain.event;

/** WGS 84 position in decimal degrees; {@code accuracyMetres} is the device's stated horizontal accuracy, if any. */
public record GeoPoint(double latitude, double longitude, Double accuracyMetres) {
    public GeoPoint {
        if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("position out of range: " + latitude + "," + longitude);
        }
    }
}
