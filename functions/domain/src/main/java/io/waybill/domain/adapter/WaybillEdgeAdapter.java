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
 * Waybill's own Greengrass edge component ({@code edge-greengrass}, topic {@code dt/waybill/waybill-edge/<thingName>}):
 * an {@code EdgeMessage} envelope ({@code deviceId}, {@code sequence}, RFC 3339 {@code deviceTime}, {@code kind},
 * {@code severity}) around a payload that already has the canonical shape: a {@code TemperatureObserved} window
 * summary ({@code SUMMARY}) or a {@code TemperatureBreached} excursion alert ({@code ALERT}). No message id: the
 * normaliser derives one, so a message re-sent from the edge spool is the same event. The edge-only details
 * ({@code severity}, {@code bandTime}, {@code excursion}) are checked but not part of the canonical event.
 *
 * <p>This class parses the documented JSON ({@code events-samples/README.md}) and does not depend on the edge module.
 */
public final class WaybillEdgeAdapter implements VendorAdapter {
    public static final String ID = "waybill-edge";
    /** The edge rounds the mean to its configured decimals (0..6); min and max are readings. */
    private static final double MEAN_ROUNDING_TOLERANCE_CELSIUS = 0.5;
    /** As the other summary adapters: a window of more readings than this is a corrupt message. */
    private static final long MAX_READING_COUNT = 1_000_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        String deviceId = p.text("deviceId");
        if (!deviceId.equals(producerId)) {
            // The edge's deviceId is its thing name, which is also the last topic level: a mismatch is a message
            // published under another thing's identity or a misconfigured component.
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "deviceId '" + abbreviate(deviceId) + "' is not the publishing thing '" + producerId + "'");
        }
        long sequence = p.integer("sequence");
        if (sequence < 0) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "sequence " + sequence + " is negative");
        }
        Instant deviceTime = DeviceTimestamps.fromIso(p.text("deviceTime"), "deviceTime");
        p.optionalInteger("severity").ifPresent(s -> {
            if (s < 0 || s > 100) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "severity " + s + " is not in 0..100");
            }
        });
        String kind = p.text("kind");
        EventData data = switch (kind) {
            case "SUMMARY" -> summary(p);
            case "ALERT" -> alert(p);
            default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                    "kind '" + abbreviate(kind) + "' is not SUMMARY or ALERT");
        };
        return new AdaptedEvent(data, deviceTime, null, sequence);
    }

    private static TemperatureObserved summary(VendorPayload p) {
        if (p.has("excursion")) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "excursion belongs to ALERT messages");
        }
        Instant start = DeviceTimestamps.fromIso(p.text("payload.windowStart"), "payload.windowStart");
        Instant end = DeviceTimestamps.fromIso(p.text("payload.windowEnd"), "payload.windowEnd");
        if (end.isBefore(start)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.windowEnd is before payload.windowStart");
        }
        double min = celsius(p, "payload.minCelsius");
        double max = celsius(p, "payload.maxCelsius");
        double mean = celsius(p, "payload.meanCelsius");
        if (min > max || mean < min - MEAN_ROUNDING_TOLERANCE_CELSIUS || mean > max + MEAN_ROUNDING_TOLERANCE_CELSIUS) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "window summary is inconsistent: min " + min + " °C, mean " + mean + " °C, max " + max + " °C");
        }
        long count = p.integer("payload.readingCount");
        if (count < 1 || count > MAX_READING_COUNT) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.readingCount " + count + " is not in 1.." + MAX_READING_COUNT);
        }
        Double humidity = p.optionalDecimal("payload.humidityPercent")
                .map(h -> Humidity.requirePercent(h, "payload.humidityPercent")).orElse(null);
        for (String side : new String[] {"bandTime.secondsAboveBand", "bandTime.secondsBelowBand"}) {
            p.optionalInteger(side).ifPresent(s -> {
                if (s < 0) {
                    throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, side + " is negative");
                }
            });
        }
        return new TemperatureObserved(Sscc.parse(p.text("payload.shipmentSscc"), "payload.shipmentSscc"),
                p.text("payload.deviceId"), start, end, min, max, mean, (int) count, humidity);
    }

    private static TemperatureBreached alert(VendorPayload p) {
        if (p.has("bandTime")) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "bandTime belongs to SUMMARY messages");
        }
        String limitCode = p.text("payload.limit");
        TemperatureBreached.Limit limit = switch (limitCode) {
            case "UPPER" -> TemperatureBreached.Limit.UPPER;
            case "LOWER" -> TemperatureBreached.Limit.LOWER;
            default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                    "payload.limit '" + abbreviate(limitCode) + "' is not UPPER or LOWER");
        };
        double observed = celsius(p, "payload.observedCelsius");
        double limitCelsius = celsius(p, "payload.limitCelsius");
        if (limit == TemperatureBreached.Limit.UPPER ? observed < limitCelsius : observed > limitCelsius) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.observedCelsius " + observed
                    + " °C is not beyond the " + limit + " limit " + limitCelsius + " °C");
        }
        Long durationSeconds = p.optionalInteger("payload.durationSeconds").map(s -> {
            if (s < 0) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.durationSeconds is negative");
            }
            return s;
        }).orElse(null);
        return new TemperatureBreached(Sscc.parse(p.text("payload.shipmentSscc"), "payload.shipmentSscc"),
                p.text("payload.deviceId"), observed, limitCelsius, limit, durationSeconds);
    }

    private static double celsius(VendorPayload p, String field) {
        return Temperatures.requirePlausibleCelsius(Temperatures.round(p.decimal(field)), field);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
