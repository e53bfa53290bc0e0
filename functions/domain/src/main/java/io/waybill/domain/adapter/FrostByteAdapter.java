package io.waybill.domain.adapter;

import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.time.DeviceTimestamps;
import io.waybill.domain.units.TemperatureUnit;
import io.waybill.domain.units.Temperatures;

import java.time.Instant;

/**
 * FrostByte probes: ISO-8601 timestamps with the site's UTC offset, a temperature object with its own unit
 * (C, F or K; values may be strings), the shipment as an SSCC in any GS1 form (often the EPC URN), a counter. The
 * probe's serial ({@code deviceSerial}) is the thing name.
 */
public final class FrostByteAdapter implements VendorAdapter {
    public static final String ID = "frostbyte";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        String probe = DeviceIdentity.requireThing("deviceSerial", p.text("deviceSerial"), producerId);
        Instant at = DeviceTimestamps.fromIso(p.text("observedAt"), "observedAt");
        TemperatureUnit unit = TemperatureUnit.parse(p.text("temperature.unit"));
        double c = Temperatures.requirePlausibleCelsius(
                Temperatures.round(unit.toCelsius(p.decimal("temperature.value"))), "temperature.value");
        TemperatureObserved data = new TemperatureObserved(Sscc.parse(p.text("shipment"), "shipment"),
                probe, at, at, c, c, c, 1, null);
        return new AdaptedEvent(data, at, null, p.optionalInteger("counter").orElse(null));
    }
}
