package io.waybill.domain.coldchain;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The cloud's cold-chain judgement for one shipment: "the edge is a fast reflex; the cloud is a slow, informed
 * judgement". From all the temperature evidence stored for the shipment (any order, duplicates) it computes the
 * exposure figures against the product class's band and judges them with its policy:
 * <ul>
 *   <li>{@link ExposureStatus#BREACHED}: the policy's verdict is a breach. The decision names one incident per
 *       shipment and product class ({@link #incidentId}), so the same excursion, re-evaluated with every new
 *       reading, never opens a second one; it carries the {@code TemperatureBreached} data with the evidence window
 *       and the figures.</li>
 *   <li>{@link ExposureStatus#ATTENTION}: no breach, but an edge alert scored at least
 *       {@link ColdChainConfig#attentionSeverity()}: the edge raised attention, the cloud has not decided a breach
 *       (no incident, no alert to people).</li>
 *   <li>{@link ExposureStatus#NORMAL}: neither.</li>
 * </ul>
 * Pure and deterministic: no clock (the decision time is passed in), no I/O.
 */
public final class ColdChainDecider {
    /** The incident kind a breach opens. */
    public static final String INCIDENT_KIND = "COLD_CHAIN_BREACH";

    private final ColdChainConfig config;

    public ColdChainDecider(ColdChainConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public ColdChainConfig config() {
        return config;
    }

    /**
     * @param shipmentSscc the shipment
     * @param product      its product class
     * @param evidence     every piece of evidence stored for it (any order, duplicates allowed)
     * @param decidedAt    processing time of the decision
     */
    public ColdChainDecision decide(String shipmentSscc, ProductClass product, Collection<ExposureEvidence> evidence,
                                    Instant decidedAt) {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(decidedAt, "decidedAt");
        List<ExposureEvidence> mine = evidence.stream().filter(e -> e.shipmentSscc().equals(shipmentSscc))
                .sorted(Comparator.comparing(ExposureEvidence::end).thenComparing(ExposureEvidence::evidenceId))
                .toList();
        ExposureAssessment assessment = ExposureAssessment.of(product.band(), product.policy(),
                ExposureTimeline.readings(mine, product.band()));
        int edgeAttention = mine.stream().mapToInt(ExposureEvidence::edgeSeverity).max().orElse(0);
        long evidenceCount = mine.stream().map(ExposureEvidence::evidenceId).distinct().count();
        if (!assessment.verdict().breached()) {
            ExposureStatus status = edgeAttention >= config.attentionSeverity() ? ExposureStatus.ATTENTION
                    : ExposureStatus.NORMAL;
            return new ColdChainDecision(shipmentSscc, product.name(), status, assessment, edgeAttention,
                    (int) evidenceCount, decidedAt, Optional.empty(), Optional.empty());
        }
        ExposureFigures f = assessment.figures();
        String incidentId = incidentId(shipmentSscc, product);
        boolean cold = f.timeBelow().compareTo(f.timeAbove()) > 0 && f.degreeMinutesBelow() > f.degreeMinutesAbove();
        double observed = cold ? f.minCelsius().orElse(Double.NaN) : f.maxCelsius().orElse(Double.NaN);
        double limitCelsius = cold ? product.band().lowCelsius() : product.band().highCelsius();
        // The logger whose evidence reached the extreme: the most relevant device for the people who act on it.
        String deviceId = mine.stream()
                .max(Comparator.comparingDouble((ExposureEvidence e) -> cold ? -e.celsius() : e.celsius())
                        .thenComparing(ExposureEvidence::evidenceId))
                .map(ExposureEvidence::deviceId).orElse("unknown");
        Instant evidenceStart = f.firstTime().orElse(mine.get(0).start());
        Instant evidenceEnd = f.lastTime().orElse(mine.get(mine.size() - 1).end());
        List<String> reasons = assessment.verdict().codes().stream().map(Enum::name).toList();
        TemperatureBreached.Decision decision = new TemperatureBreached.Decision(product.name(),
                assessment.verdict().severity().name(), reasons, evidenceStart, evidenceEnd, (int) evidenceCount,
                round(f.torSeconds()), round(f.degreeMinutesAbove()), round(f.degreeMinutesBelow()),
                f.mktCelsius().isPresent() ? round(f.mktCelsius().getAsDouble()) : null, incidentId, edgeAttention);
        TemperatureBreached breach = new TemperatureBreached(shipmentSscc, deviceId, observed, limitCelsius,
                cold ? TemperatureBreached.Limit.LOWER : TemperatureBreached.Limit.UPPER,
                Math.round(f.torSeconds()), null, decision);
        String summary = String.format(Locale.ROOT, "%s breach of %s (%s): %s out of range (%s), %.1f °C·min above, "
                        + "%.1f °C·min below, peak %.2f °C", assessment.verdict().severity(), product.name(),
                product.band(), human(f.torSeconds()), human(product.policy().torBudget().toSeconds()) + " allowed",
                f.degreeMinutesAbove(), f.degreeMinutesBelow(), observed);
        ShipmentIncident incident = ShipmentIncident.open(incidentId, shipmentSscc, INCIDENT_KIND,
                assessment.verdict().severity().name(), summary, decidedAt, evidenceEnd, edgeAttention);
        return new ColdChainDecision(shipmentSscc, product.name(), ExposureStatus.BREACHED, assessment, edgeAttention,
                (int) evidenceCount, decidedAt, Optional.of(breach), Optional.of(incident));
    }

    /** One incident per shipment and product class: the name every re-evaluation of the shipment arrives at. */
    public static String incidentId(String shipmentSscc, ProductClass product) {
        return "cold-chain/" + shipmentSscc + "/" + product.name();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String human(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
