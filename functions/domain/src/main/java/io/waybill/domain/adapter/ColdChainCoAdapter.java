package io.waybill.domain.adapter;

import io.waybill.domain.event.EventData;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;
import io.waybill.domain.units.Temperatures;

import java.time.Instant;

/**
 * ColdChainCo loggers: nested JSON, °C as numbers, epoch milliseconds, a message id on every message; either a
 * single {@code reading} or an {@code alarm} raised by the device itself. The logger id ({@code device.id}) is the
 * thing name.
 */
public final class ColdChainCoAdapter implements VendorAdapter {
    public static final String ID = "coldchainco";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        String deviceId = DeviceIdentity.requireThing("device.id", p.text("device.id"), producerId);
        String messageId = p.text("msgId");
        String sscc = Sscc.parse(p.text("shipment.sscc"), "shipment.sscc");
        if (p.has("reading")) {
            Instant at = DeviceTimestamps.fromEpochMillis(p.integer("reading.at"), "reading.at");
            double c = celsius(p, "reading.celsius");
            Double humidity = p.optionalDecimal("reading.humidity").map(h -> Humidity.requirePercent(h, "reading.humidity")).orElse(null);
            EventData data = new TemperatureObserved(sscc, deviceId, at, at, c, c, c, 1, humidity);
            return new AdaptedEvent(data, at, messageId, null);
        }
        if (p.has("alarm")) {
            Instant at = DeviceTimestamps.fromEpochMillis(p.integer("alarm.at"), "alarm.at");
            String kind = p.text("alarm.kind");
            TemperatureBreached.Limit limit = switch (kind) {
                case "TEMP_HIGH" -> TemperatureBreached.Limit.UPPER;
                case "TEMP_LOW" -> TemperatureBreached.Limit.LOWER;
                default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                        "alarm.kind '" + kind + "' is not TEMP_HIGH or TEMP_LOW");
            };
            Long durationSeconds = p.optionalInteger("alarm.sinceMs").map(ms -> {
                if (ms < 0) {
                    throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "alarm.sinceMs is negative");
                }
                return ms / 1000;
            }).orElse(null);
            EventData data = new TemperatureBreached(sscc, deviceId, celsius(p, "alarm.celsius"),
                    celsius(p, "alarm.limitCelsius"), limit, durationSeconds);
            return new AdaptedEvent(data, at, messageId, null);
        }
        throw new RejectedRecordException(RejectionReason.MISSING_FIELD, "reading or alarm is required");
    }

    private static double celsius(VendorPayload p, String field) {
        return Temperatures.requirePlausibleCelsius(Temperatures.round(p.decimal(field)), field);
    }
}
