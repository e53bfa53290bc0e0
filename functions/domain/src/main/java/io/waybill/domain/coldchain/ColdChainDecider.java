package io.waybill.domain.coldchain;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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
     * Decides over every piece of evidence at once (any order, duplicates allowed): the running state built from
     * it ({@link ExposureFold#of}), then {@link #decide(ShipmentExposure, ProductClass, boolean, Instant)}.
     *
     * @param shipmentSscc the shipment
     * @param product      its product class
     * @param evidence     every piece of evidence stored for it (any order, duplicates allowed)
     * @param decidedAt    processing time of the decision
     */
    public ColdChainDecision decide(String shipmentSscc, ProductClass product, Collection<ExposureEvidence> evidence,
                                    Instant decidedAt) {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        return decide(ExposureFold.of(shipmentSscc, product, evidence), product, true, decidedAt);
    }

    /**
     * Decides over a shipment's running exposure: per probe, its figures and the policy's verdict; the worst probe
     * decides (highest severity, then most time out of range plus unknown, then name). Costs O(probes), whatever the
     * length of the trip.
     *
     * @param state      the shipment's running exposure, measured against {@code product}
     * @param product    its product class
     * @param classified false when {@code product} is the stage's default because the shipment has none of its own:
     *                   never silently normal (at least ATTENTION) and flagged in a breach
     * @param decidedAt  processing time of the decision
     */
    public ColdChainDecision decide(ShipmentExposure state, ProductClass product, boolean classified,
                                    Instant decidedAt) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(decidedAt, "decidedAt");
        String shipmentSscc = state.shipmentSscc();
        Map<String, ExposureAssessment> probes = new TreeMap<>();
        for (ProbeExposure p : state.probes().values()) {
            ExposureFigures f = p.figures(product.band());
            probes.put(p.probeId(), new ExposureAssessment(f, product.policy().judge(f)));
        }
        Map.Entry<String, ExposureAssessment> worst = probes.entrySet().stream().max(Comparator
                .comparingInt((Map.Entry<String, ExposureAssessment> e) -> rank(e.getValue().verdict()))
                .thenComparing(e -> e.getValue().figures().timeOutOfRange().plus(e.getValue().figures().unknown()))
                .thenComparing(Map.Entry::getKey, Comparator.reverseOrder())).orElse(null);
        ExposureAssessment assessment = worst == null
                ? new ExposureAssessment(ExposureFigures.none(product.band()),
                product.policy().judge(ExposureFigures.none(product.band())))
                : worst.getValue();
        String worstProbe = worst == null ? null : worst.getKey();
        int edgeAttention = state.edgeAttention();
        int evidenceCount = state.evidence();
        long missing = state.missingSequences();
        if (!assessment.verdict().breached()) {
            ExposureStatus status = edgeAttention >= config.attentionSeverity() || !classified
                    ? ExposureStatus.ATTENTION : ExposureStatus.NORMAL;
            return new ColdChainDecision(shipmentSscc, product.name(), status, assessment, edgeAttention,
                    evidenceCount, decidedAt, Optional.empty(), Optional.empty(), probes, worstProbe, !classified,
                    missing);
        }
        ExposureFigures f = assessment.figures();
        String incidentId = incidentId(shipmentSscc, product);
        boolean cold = f.timeBelow().compareTo(f.timeAbove()) > 0 && f.degreeMinutesBelow() > f.degreeMinutesAbove();
        double observed = cold ? f.minCelsius().orElse(Double.NaN) : f.maxCelsius().orElse(Double.NaN);
        double limitCelsius = cold ? product.band().lowCelsius() : product.band().highCelsius();
        if (!Double.isFinite(limitCelsius)) {
            limitCelsius = cold ? product.band().highCelsius() : product.band().lowCelsius();
        }
        Instant evidenceStart = f.firstTime().orElse(decidedAt);
        Instant evidenceEnd = f.lastTime().orElse(decidedAt);
        List<String> reasons = assessment.verdict().codes().stream().map(Enum::name).toList();
        TemperatureBreached.Decision decision = new TemperatureBreached.Decision(product.name(),
                assessment.verdict().severity().name(), reasons, evidenceStart, evidenceEnd, evidenceCount,
                round(f.torSeconds()), round(f.degreeMinutesAbove()), round(f.degreeMinutesBelow()),
                f.mktCelsius().isPresent() ? round(f.mktCelsius().getAsDouble()) : null, incidentId, edgeAttention,
                null, worstProbe, round(f.unknownSeconds()), missing, classified ? null : Boolean.TRUE);
        TemperatureBreached breach = new TemperatureBreached(shipmentSscc, worstProbe, observed, limitCelsius,
                cold ? TemperatureBreached.Limit.LOWER : TemperatureBreached.Limit.UPPER,
                Math.round(f.torSeconds()), null, decision);
        String summary = String.format(Locale.ROOT, "%s breach of %s (%s) on probe %s: %s out of range (%s), "
                        + "%.1f °C·min above, %.1f °C·min below, peak %.2f °C%s%s",
                assessment.verdict().severity(), product.name(), product.band(), worstProbe, human(f.torSeconds()),
                human(product.policy().torBudget().toSeconds()) + " allowed", f.degreeMinutesAbove(),
                f.degreeMinutesBelow(), observed,
                f.unknown().isZero() ? "" : ", " + human(f.unknownSeconds()) + " without evidence",
                classified ? "" : " (UNCLASSIFIED: judged under the default product class)");
        ShipmentIncident incident = ShipmentIncident.open(incidentId, shipmentSscc, INCIDENT_KIND,
                assessment.verdict().severity().name(), summary, decidedAt, evidenceEnd, edgeAttention);
        return new ColdChainDecision(shipmentSscc, product.name(), ExposureStatus.BREACHED, assessment, edgeAttention,
                evidenceCount, decidedAt, Optional.of(breach), Optional.of(incident), probes, worstProbe,
                !classified, missing);
    }

    private static int rank(BreachVerdict v) {
        return v.breached() ? 1 + v.severity().ordinal() : 0;
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
