package io.waybill.domain.adapter;

import io.waybill.domain.event.EventData;
import io.waybill.domain.event.GeoPoint;
import io.waybill.domain.event.ShipmentArrived;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.domain.event.ShipmentLocated;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;

import java.time.Instant;

/**
 * GPS trackers on trailers: position fixes with epoch seconds, coordinates as strings or numbers, and geofence
 * events that mark departure from and arrival at a site (identified by GLN). Each tracker names itself by its IMEI
 * ({@code imei}); its thing name is {@value #THING_PREFIX} followed by the IMEI.
 */
public final class GpsTrackerAdapter implements VendorAdapter {
    public static final String ID = "gps-tracker";
    /** Road and rail freight never exceeds this; a faster fix is a GPS glitch. */
    public static final double MAX_PLAUSIBLE_SPEED_KMH = 300;
    /** A tracker's thing name is this prefix followed by its IMEI ({@code imei} 356938035643809: thing IMEI-356938035643809). */
    public static final String THING_PREFIX = "IMEI-";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        DeviceIdentity.requireThing("imei", p.text("imei"), THING_PREFIX, producerId);
        String sscc = Sscc.parse(p.text("sscc"), "sscc");
        Instant at = DeviceTimestamps.fromEpochSeconds(p.integer("fix.ts"), "fix.ts");
        GeoPoint position = position(p);
        String event = p.text("evt");
        EventData data = switch (event) {
            case "PING" -> new ShipmentLocated(sscc, position, speed(p));
            case "GEOFENCE_EXIT" -> new ShipmentDeparted(sscc, siteGln(p), position, null, null);
            case "GEOFENCE_ENTER" -> new ShipmentArrived(sscc, siteGln(p), position, null);
            default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                    "evt '" + event + "' is not PING, GEOFENCE_EXIT or GEOFENCE_ENTER");
        };
        return new AdaptedEvent(data, at, null, null);
    }

    private static GeoPoint position(VendorPayload p) {
        double lat = p.decimal("fix.lat");
        double lon = p.decimal("fix.lon");
        Double accuracy = p.optionalDecimal("fix.acc_m").orElse(null);
        if (accuracy != null && accuracy < 0) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "fix.acc_m is negative");
        }
        try {
            return new GeoPoint(lat, lon, accuracy);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "fix: " + e.getMessage());
        }
    }

    private static Double speed(VendorPayload p) {
        return p.optionalDecimal("speed_kmh").map(s -> {
            if (!(s >= 0 && s <= MAX_PLAUSIBLE_SPEED_KMH)) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                        "speed_kmh " + s + " is not in 0.." + (int) MAX_PLAUSIBLE_SPEED_KMH);
            }
            return s;
        }).orElse(null);
    }

    private static String siteGln(VendorPayload p) {
        return p.optionalText("geofence.gln").map(g -> Gln.parse(g, "geofence.gln")).orElse(null);
    }
}
