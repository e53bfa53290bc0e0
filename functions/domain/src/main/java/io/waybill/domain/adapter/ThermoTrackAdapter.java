package io.waybill.domain.adapter;

import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;
import io.waybill.domain.units.TemperatureUnit;
import io.waybill.domain.units.Temperatures;

import java.time.Instant;

/**
 * ThermoTrack reefer loggers: flat JSON, every value a string, temperatures in °F, epoch seconds, one window
 * summary per message, a per-device sequence number and no message id. The logger id ({@code dev}) is the thing name.
 */
public final class ThermoTrackAdapter implements VendorAdapter {
    public static final String ID = "thermotrack";
    /** Summaries are rounded by the device; mean outside [min, max] by more than this is a corrupt message. */
    private static final double ROUNDING_TOLERANCE_CELSIUS = 0.06;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        String device = DeviceIdentity.requireThing("dev", p.text("dev"), producerId);
        Instant start = DeviceTimestamps.fromEpochSeconds(p.text("win_start"), "win_start");
        Instant end = DeviceTimestamps.fromEpochSeconds(p.text("win_end"), "win_end");
        if (end.isBefore(start)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "win_end is before win_start");
        }
        double min = celsius(p, "t_min_f");
        double max = celsius(p, "t_max_f");
        double mean = celsius(p, "t_avg_f");
        if (min > max || mean < min - ROUNDING_TOLERANCE_CELSIUS || mean > max + ROUNDING_TOLERANCE_CELSIUS) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "window summary is inconsistent: min " + min + " °C, mean " + mean + " °C, max " + max + " °C");
        }
        long count = p.integer("n");
        if (count < 1 || count > 1_000_000) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "n: reading count " + count + " is not in 1..1000000");
        }
        Double humidity = p.optionalDecimal("rh").map(h -> Humidity.requirePercent(h, "rh")).orElse(null);
        TemperatureObserved data = new TemperatureObserved(Sscc.parse(p.text("sscc"), "sscc"), device,
                start, end, min, max, mean, (int) count, humidity);
        return new AdaptedEvent(data, end, null, p.optionalInteger("seq").orElse(null));
    }

    private static double celsius(VendorPayload p, String field) {
        double c = Temperatures.round(TemperatureUnit.FAHRENHEIT.toCelsius(p.decimal(field)));
        return Temperatures.requirePlausibleCelsius(c, field);
    }
}
