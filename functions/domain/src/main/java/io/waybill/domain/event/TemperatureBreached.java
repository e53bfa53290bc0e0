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

    /** This decision naming another incident and phase (the same figures). */
    public TemperatureBreached withDecision(Decision other) {
        return new TemperatureBreached(shipmentSscc, deviceId, observedCelsius, limitCelsius, limit, durationSeconds,
                edgeSeverity, other);
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
     * @param phase              which decision of the incident this is: {@link #OPENED} or {@link #ESCALATED}; null
     *                           means {@link #OPENED} (decisions recorded before phases existed carry none)
     * @param probe              the probe whose exposure decided the verdict (the worst); null in older decisions
     * @param unknownSeconds     that probe's time without evidence (gaps beyond the interpolation limit), seconds
     * @param missingSequences   messages of the shipment's devices that never arrived (sequence holes)
     * @param unclassified       true when judged under the default product class (no plan); null otherwise
     * @param evidenceCommitment what evidence the decision saw: a digest over every stored evidence item of the
     *                           shipment at the moment of the decision
     *                           ({@link io.waybill.domain.provenance.EvidenceCommitment}); null in older decisions
     */
    public record Decision(String productClass, String severity, List<String> reasons, Instant evidenceStart,
                           Instant evidenceEnd, int readings, double torSeconds, double degreeMinutesAbove,
                           double degreeMinutesBelow, Double mktCelsius, String incidentId, int edgeAttention,
                           String phase, String probe, Double unknownSeconds, Long missingSequences,
                           Boolean unclassified, Commitment evidenceCommitment) {

        /** A decision without an evidence commitment (decisions recorded before commitments). */
        public Decision(String productClass, String severity, List<String> reasons, Instant evidenceStart,
                        Instant evidenceEnd, int readings, double torSeconds, double degreeMinutesAbove,
                        double degreeMinutesBelow, Double mktCelsius, String incidentId, int edgeAttention,
                        String phase, String probe, Double unknownSeconds, Long missingSequences,
                        Boolean unclassified) {
            this(productClass, severity, reasons, evidenceStart, evidenceEnd, readings, torSeconds,
                    degreeMinutesAbove, degreeMinutesBelow, mktCelsius, incidentId, edgeAttention, phase, probe,
                    unknownSeconds, missingSequences, unclassified, null);
        }

        /** A decision without the per-probe details (decisions recorded before them). */
        public Decision(String productClass, String severity, List<String> reasons, Instant evidenceStart,
                        Instant evidenceEnd, int readings, double torSeconds, double degreeMinutesAbove,
                        double degreeMinutesBelow, Double mktCelsius, String incidentId, int edgeAttention,
                        String phase) {
            this(productClass, severity, reasons, evidenceStart, evidenceEnd, readings, torSeconds,
                    degreeMinutesAbove, degreeMinutesBelow, mktCelsius, incidentId, edgeAttention, phase, null, null,
                    null, null);
        }
        /** The decision that opened the incident. */
        public static final String OPENED = "OPENED";
        /** A later decision whose severity is higher than the incident's while it is not resolved. */
        public static final String ESCALATED = "ESCALATED";

        /** A decision without a phase (the one that opens its incident). */
        public Decision(String productClass, String severity, List<String> reasons, Instant evidenceStart,
                        Instant evidenceEnd, int readings, double torSeconds, double degreeMinutesAbove,
                        double degreeMinutesBelow, Double mktCelsius, String incidentId, int edgeAttention) {
            this(productClass, severity, reasons, evidenceStart, evidenceEnd, readings, torSeconds,
                    degreeMinutesAbove, degreeMinutesBelow, mktCelsius, incidentId, edgeAttention, null);
        }

        /** This decision naming another incident (the incident of its excursion episode) and phase. */
        public Decision forIncident(String otherIncidentId, String otherPhase) {
            return new Decision(productClass, severity, reasons, evidenceStart, evidenceEnd, readings, torSeconds,
                    degreeMinutesAbove, degreeMinutesBelow, mktCelsius, otherIncidentId, edgeAttention, otherPhase,
                    probe, unknownSeconds, missingSequences, unclassified, evidenceCommitment);
        }

        /** This decision committing to the evidence it saw (the same figures). */
        public Decision withEvidenceCommitment(Commitment commitment) {
            return new Decision(productClass, severity, reasons, evidenceStart, evidenceEnd, readings, torSeconds,
                    degreeMinutesAbove, degreeMinutesBelow, mktCelsius, incidentId, edgeAttention, phase, probe,
                    unknownSeconds, missingSequences, unclassified, commitment);
        }

        public Decision {
            if (phase != null && !phase.equals(OPENED) && !phase.equals(ESCALATED)) {
                throw new IllegalArgumentException("phase must be OPENED or ESCALATED, was " + phase);
            }
            Objects.requireNonNull(productClass, "productClass");
            Objects.requireNonNull(severity, "severity");
            reasons = List.copyOf(reasons);
            Objects.requireNonNull(evidenceStart, "evidenceStart");
            Objects.requireNonNull(evidenceEnd, "evidenceEnd");
            Objects.requireNonNull(incidentId, "incidentId");
        }
    }

    /**
     * A decision's commitment to its evidence (computed by
     * {@link io.waybill.domain.provenance.EvidenceCommitment}, which documents the exact bytes hashed).
     *
     * @param algorithm how the digest is computed: {@value io.waybill.domain.provenance.EvidenceCommitment#ALGORITHM}
     * @param items     how many evidence items it commits to
     * @param digest    64 lower-case hex digits
     */
    public record Commitment(String algorithm, int items, String digest) {
        public Commitment {
            Objects.requireNonNull(algorithm, "algorithm");
            Objects.requireNonNull(digest, "digest");
            if (items < 0) {
                throw new IllegalArgumentException("items must not be negative, was " + items);
            }
            if (!digest.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("digest must be 64 lower-case hex digits, was " + digest);
            }
        }
    }
}
