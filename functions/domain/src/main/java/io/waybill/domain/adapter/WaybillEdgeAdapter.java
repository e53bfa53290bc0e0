package io.waybill.domain.adapter;

import io.waybill.domain.event.ConveyorJammed;
import io.waybill.domain.event.EventData;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;
import io.waybill.domain.units.Temperatures;

import java.time.Duration;
import java.time.Instant;

/**
 * Waybill's own Greengrass edge component ({@code edge-greengrass}, topic {@code dt/waybill/<stage>/waybill-edge/<thingName>}):
 * an {@code EdgeMessage} envelope ({@code deviceId}, {@code sequence}, RFC 3339 {@code deviceTime}, {@code kind},
 * {@code severity}) around a payload that already has the canonical shape: a {@code TemperatureObserved} window
 * summary ({@code SUMMARY}, with its exposure statistics from edge components 1.3 on), a {@code TemperatureBreached} excursion alert ({@code ALERT}) or a {@code ConveyorJammed}
 * jam alert ({@code ALERT} whose payload has an {@code equipmentId}). No message id: the
 * normaliser derives one, so a message re-sent from the edge spool is the same event. The edge-only details
 * ({@code severity}, {@code bandTime}, {@code excursion}) are checked but not part of the temperature events; a
 * {@code ConveyorJammed} carries the edge severity in its data ({@code edgeSeverity}, checked equal to
 * {@code severity}).
 *
 * <p>This class parses the documented JSON ({@code events-samples/README.md}) and does not depend on the edge module.
 */
public final class WaybillEdgeAdapter implements VendorAdapter {
    public static final String ID = "waybill-edge";
    /**
     * Top-level send stamp (the component's clock when it published this copy; optional, components before 1.2 do
     * not send it): re-stamped on every retry, so not part of the message's content.
     */
    public static final String SENT_TIME_FIELD = "sentTime";
    /** The edge rounds the mean to its configured decimals (0..6); min and max are readings. */
    private static final double MEAN_ROUNDING_TOLERANCE_CELSIUS = 0.5;
    /** As the other summary adapters: a window of more readings than this is a corrupt message. */
    private static final long MAX_READING_COUNT = 1_000_000;
    /**
     * The edge rounds baseline and σ to 4 decimals and the z-score to 2 (computed before rounding): a z-score
     * recomputed from the rounded values may differ from the reported one by up to 0.01 + 1 % of it (σ is at least
     * 0.01 signal units).
     */
    private static final double Z_SCORE_ABSOLUTE_TOLERANCE = 0.01;
    private static final double Z_SCORE_RELATIVE_TOLERANCE = 0.01;
    /** The summary's optional exposure statistics (edge components from 1.3). */
    private static final String EXPOSURE = "payload.exposure";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        // The edge's deviceId is its thing name, which is also the last topic level.
        DeviceIdentity.requireThing("deviceId", p.text("deviceId"), producerId);
        long sequence = p.integer("sequence");
        if (sequence < 0) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "sequence " + sequence + " is negative");
        }
        Instant deviceTime = DeviceTimestamps.fromIso(p.text("deviceTime"), "deviceTime");
        Long severity = p.optionalInteger("severity").map(s -> {
            if (s < 0 || s > 100) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "severity " + s + " is not in 0..100");
            }
            return s;
        }).orElse(null);
        String kind = p.text("kind");
        EventData data = switch (kind) {
            case "SUMMARY" -> summary(p);
            case "ALERT" -> p.has("payload.equipmentId") ? conveyorJam(p, producerId, deviceTime, severity)
                    : alert(p, severity);
            default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                    "kind '" + abbreviate(kind) + "' is not SUMMARY or ALERT");
        };
        // When the component emitted it (its clock): optional, older components do not send it.
        Instant edgeTime = p.has("edgeTime") ? DeviceTimestamps.fromIso(p.text("edgeTime"), "edgeTime") : null;
        Instant sentTime = p.has(SENT_TIME_FIELD)
                ? DeviceTimestamps.fromIso(p.text(SENT_TIME_FIELD), SENT_TIME_FIELD) : null;
        return new AdaptedEvent(data, deviceTime, null, sequence, edgeTime, sentTime);
    }

    @Override
    public java.util.Set<String> transportFields() {
        return java.util.Set.of(SENT_TIME_FIELD);
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
        ExposureStatistics exposure = p.has(EXPOSURE) ? exposure(p, start, end) : null;
        return new TemperatureObserved(Sscc.parse(p.text("payload.shipmentSscc"), "payload.shipmentSscc"),
                p.text("payload.deviceId"), start, end, min, max, mean, (int) count, humidity, exposure);
    }

    /**
     * {@code payload.exposure} (edge components from 1.3) as {@link ExposureStatistics}. The edge leaves out the
     * counters that are zero ({@code unknownMillis}, {@code aboveMillis}, {@code belowMillis},
     * {@code degreeMinutesAbove}, {@code degreeMinutesBelow}: absent is 0); {@code maxGapSeconds},
     * {@code observedMillis} and {@code arrheniusSum} are required, and at least one band bound. Durations are
     * integers; nothing is negative or not finite; the time outside the band fits in the observed time, only on a
     * side the band has; and the statistics cover at least the window (the holds of its readings telescope to
     * {@code windowEnd - windowStart}, 1 ms for sub-millisecond timestamps). Anything else is
     * {@code IMPOSSIBLE_VALUE}.
     */
    private static ExposureStatistics exposure(VendorPayload p, Instant start, Instant end) {
        if (!p.requiredNode(EXPOSURE).isObject()) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, EXPOSURE + " is not an object");
        }
        Double low = p.optionalDecimal(EXPOSURE + ".bandLowCelsius")
                .map(c -> Temperatures.requirePlausibleCelsius(c, EXPOSURE + ".bandLowCelsius")).orElse(null);
        Double high = p.optionalDecimal(EXPOSURE + ".bandHighCelsius")
                .map(c -> Temperatures.requirePlausibleCelsius(c, EXPOSURE + ".bandHighCelsius")).orElse(null);
        if (low == null && high == null) {
            throw impossible(EXPOSURE + " has neither bandLowCelsius nor bandHighCelsius");
        }
        if (low != null && high != null && !(low < high)) {
            throw impossible(EXPOSURE + ".bandLowCelsius " + low + " °C is not below bandHighCelsius " + high + " °C");
        }
        long maxGap = p.integer(EXPOSURE + ".maxGapSeconds");
        if (maxGap < 1) {
            throw impossible(EXPOSURE + ".maxGapSeconds " + maxGap + " is not at least 1 s");
        }
        long observed = millis(p, "observedMillis", true);
        long unknown = millis(p, "unknownMillis", false);
        long above = millis(p, "aboveMillis", false);
        long below = millis(p, "belowMillis", false);
        double degreeMinutesAbove = sum(p, "degreeMinutesAbove", false);
        double degreeMinutesBelow = sum(p, "degreeMinutesBelow", false);
        double arrhenius = sum(p, "arrheniusSum", true);
        if (above > observed - below) {
            throw impossible(EXPOSURE + ": aboveMillis " + above + " + belowMillis " + below
                    + " exceed observedMillis " + observed);
        }
        if (high == null && (above > 0 || degreeMinutesAbove > 0)) {
            throw impossible(EXPOSURE + ": time above a band without a high bound");
        }
        if (low == null && (below > 0 || degreeMinutesBelow > 0)) {
            throw impossible(EXPOSURE + ": time below a band without a low bound");
        }
        long window = Duration.between(start, end).toMillis();
        if (observed > Long.MAX_VALUE - unknown || observed + unknown < window - 1) {
            throw impossible(EXPOSURE + ": observedMillis " + observed + " + unknownMillis " + unknown
                    + " do not cover the window of " + window + " ms");
        }
        return new ExposureStatistics(low, high, maxGap, observed, unknown, above, below, degreeMinutesAbove,
                degreeMinutesBelow, arrhenius);
    }

    private static long millis(VendorPayload p, String field, boolean required) {
        String path = EXPOSURE + "." + field;
        long v = required ? p.integer(path) : p.optionalInteger(path).orElse(0L);
        if (v < 0) {
            throw impossible(path + " " + v + " is negative");
        }
        return v;
    }

    private static double sum(VendorPayload p, String field, boolean required) {
        String path = EXPOSURE + "." + field;
        double v = required ? p.decimal(path) : p.optionalDecimal(path).orElse(0.0);
        if (!Double.isFinite(v) || v < 0) {
            throw impossible(path + " " + v + " is negative or not finite");
        }
        return v;
    }

    private static RejectedRecordException impossible(String detail) {
        return new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, detail);
    }

    private static TemperatureBreached alert(VendorPayload p, Long severity) {
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
                p.text("payload.deviceId"), observed, limitCelsius, limit, durationSeconds,
                severity == null ? null : severity.intValue(), null);
    }

    /**
     * A jam alert: the payload is a {@code ConveyorJammed}. Its {@code edgeDeviceId} must be the publishing thing ({@code IDENTITY_MISMATCH}), its
     * times must be in order (onset, detection, clearing, and the message's device time not before the detection),
     * the phase decides which of {@code clearedTime}/{@code durationSeconds} are present, and the payload's
     * {@code edgeSeverity} must equal the envelope's {@code severity}.
     */
    private static ConveyorJammed conveyorJam(VendorPayload p, String producerId, Instant deviceTime, Long severity) {
        for (String edgeOnly : new String[] {"bandTime", "excursion"}) {
            if (p.has(edgeOnly)) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                        edgeOnly + " does not belong to a conveyor jam alert");
            }
        }
        String edgeDeviceId = DeviceIdentity.requireThing("payload.edgeDeviceId", p.text("payload.edgeDeviceId"),
                producerId);
        String equipmentId = p.text("payload.equipmentId");
        if (equipmentId.length() > 128) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.equipmentId is longer than 128 characters");
        }
        String facilityGln = p.optionalText("payload.facilityGln").map(g -> Gln.parse(g, "payload.facilityGln"))
                .orElse(null);
        String phaseCode = p.text("payload.phase");
        ConveyorJammed.Phase phase = switch (phaseCode) {
            case "DETECTED" -> ConveyorJammed.Phase.DETECTED;
            case "CLEARED" -> ConveyorJammed.Phase.CLEARED;
            default -> throw new RejectedRecordException(RejectionReason.UNKNOWN_CODE,
                    "payload.phase '" + abbreviate(phaseCode) + "' is not DETECTED or CLEARED");
        };
        Instant onset = DeviceTimestamps.fromIso(p.text("payload.onsetTime"), "payload.onsetTime");
        Instant detected = DeviceTimestamps.fromIso(p.text("payload.detectedTime"), "payload.detectedTime");
        if (detected.isBefore(onset)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.detectedTime is before payload.onsetTime");
        }
        if (deviceTime.isBefore(detected)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "deviceTime is before payload.detectedTime");
        }
        Instant cleared = null;
        Long durationSeconds = null;
        if (phase == ConveyorJammed.Phase.CLEARED) {
            cleared = DeviceTimestamps.fromIso(p.text("payload.clearedTime"), "payload.clearedTime");
            if (cleared.isBefore(onset) || deviceTime.isBefore(cleared)) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                        "payload.clearedTime is not between payload.onsetTime and deviceTime");
            }
            durationSeconds = p.integer("payload.durationSeconds");
            long expected = Duration.between(onset, cleared).toSeconds();
            if (durationSeconds != expected) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.durationSeconds "
                        + durationSeconds + " is not clearedTime - onsetTime (" + expected + " s)");
            }
        } else if (p.has("payload.clearedTime") || p.has("payload.durationSeconds")) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.clearedTime and payload.durationSeconds belong to CLEARED jams");
        }
        long samples = p.integer("payload.samplesToDetect");
        if (samples < 1 || samples > Integer.MAX_VALUE) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.samplesToDetect " + samples + " is not a count >= 1");
        }
        String unitCode = p.text("payload.signalUnit");
        ConveyorJammed.SignalUnit unit;
        try {
            unit = ConveyorJammed.SignalUnit.ofSymbol(unitCode);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(RejectionReason.UNKNOWN_UNIT,
                    "payload.signalUnit '" + abbreviate(unitCode) + "' is not A or mm/s");
        }
        double value = p.decimal("payload.signalValue");
        double baseline = p.decimal("payload.baselineValue");
        double sigma = p.decimal("payload.sigmaValue");
        double z = p.decimal("payload.zScore");
        if (value < 0) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.signalValue is negative");
        }
        if (!(sigma > 0)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.sigmaValue must be > 0");
        }
        double expectedZ = (value - baseline) / sigma;
        if (Math.abs(expectedZ - z) > Z_SCORE_ABSOLUTE_TOLERANCE + Z_SCORE_RELATIVE_TOLERANCE * Math.abs(expectedZ)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.zScore " + z
                    + " is not (signalValue - baselineValue) / sigmaValue = " + expectedZ);
        }
        long edgeSeverity = p.integer("payload.edgeSeverity");
        if (edgeSeverity < 0 || edgeSeverity > 100) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "payload.edgeSeverity " + edgeSeverity + " is not in 0..100");
        }
        if (severity != null && severity != edgeSeverity) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "payload.edgeSeverity "
                    + edgeSeverity + " is not the message's severity " + severity);
        }
        return new ConveyorJammed(edgeDeviceId, equipmentId, facilityGln, phase, onset, detected, cleared,
                (int) samples, unit, value, baseline, sigma, z, durationSeconds, (int) edgeSeverity);
    }

    private static double celsius(VendorPayload p, String field) {
        return Temperatures.requirePlausibleCelsius(Temperatures.round(p.decimal(field)), field);
    }

    private static String abbreviate(String s) {
        return DeviceIdentity.abbreviate(s);
    }
}
