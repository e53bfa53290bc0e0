package io.waybill.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A temperature outside the product's band: detected by a device or the edge ({@code decision} absent), or decided
 * by Waybill's cloud cold-chain policy over the shipment's whole exposure ({@code decision} present, source
 * {@code urn:waybill:coldchain}).
 *
 * @param shipmentSscc    SSCC of the monitored shipment
 * @param deviceId        the logger's id (for a decision: the logger whose evidence tipped it)
 * @param observedCelsius the reading that breached, °C (for a decision: the highest, or for a cold breach the lowest,
 *                        temperature in the evidence)
 * @param limitCelsius    the band limit that was crossed, °C
 * @param limit           which side of the band was crossed
 * @param durationSeconds how long the reading has been outside the band, seconds, if known (for a decision: the
 *                        time out of range)
 * @param edgeSeverity    the edge component's severity score 0..100 for its alert, or null (other devices, decisions):
 *                        it raises attention in the cloud; the cloud policy decides the breach
 * @param decision        the cloud decision's evidence and figures, or null for a device's or the edge's detection
 */
public record TemperatureBreached(String shipmentSscc, String deviceId, double observedCelsius, double limitCelsius,
                                  Limit limit, Long durationSeconds, Integer edgeSeverity, Decision decision)
        implements EventData {
    public enum Limit { UPPER, LOWER }

    /** A device's or the edge's detection. */
    public TemperatureBreached(String shipmentSscc, String deviceId, double observedCelsius, double limitCelsius,
                               Limit limit, Long durationSeconds) {
        this(shipmentSscc, deviceId, observedCelsius, limitCelsius, limit, durationSeconds, null, null);
    }

    public TemperatureBreached {
        if (edgeSeverity != null && (edgeSeverity < 0 || edgeSeverity > 100)) {
            throw new IllegalArgumentException("edgeSeverity must be 0..100, was " + edgeSeverity);
        }
    }

    @Override
    public String subject() {
        return shipmentSscc;
    }

    /**
     * Why the cloud declared a breach: the product class and its policy's verdict over an evidence window.
     *
     * @param productClass       the shipment's product class, e.g. {@code vaccines-2-8}
     * @param severity           {@code MINOR}, {@code MAJOR} or {@code CRITICAL}
     * @param reasons            the policy rules that fired, e.g. {@code TOR_BUDGET_EXCEEDED}
     * @param evidenceStart      event time of the first reading considered
     * @param evidenceEnd        event time of the last reading considered
     * @param readings           readings (after de-duplication) in the evidence
     * @param torSeconds         time out of range, seconds
     * @param degreeMinutesAbove degree-minutes above the band, °C·min
     * @param degreeMinutesBelow degree-minutes below the band, °C·min
     * @param mktCelsius         mean kinetic temperature, °C, or null with fewer than two readings
     * @param incidentId         the shipment exception this decision opened
     * @param edgeAttention      the highest edge severity (0..100) seen for the shipment before the decision
     */
    public record Decision(String productClass, String severity, List<String> reasons, Instant evidenceStart,
                           Instant evidenceEnd, int readings, double torSeconds, double degreeMinutesAbove,
                           double degreeMinutesBelow, Double mktCelsius, String incidentId, int edgeAttention) {
        public Decision {
            Objects.requireNonNull(productClass, "productClass");
            Objects.requireNonNull(severity, "severity");
            reasons = List.copyOf(reasons);
            Objects.requireNonNull(evidenceStart, "evidenceStart");
            Objects.requireNonNull(evidenceEnd, "evidenceEnd");
            Objects.requireNonNull(incidentId, "incidentId");
        }
    }
}
