package io.waybill.domain.coldchain;

import java.util.Map;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.incident.ShipmentIncident;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ColdChainDecider} concluded for one shipment.
 *
 * @param shipmentSscc  the shipment
 * @param productClass  the product class applied
 * @param status        normal, attention or breached
 * @param assessment    the exposure figures and the policy's verdict
 * @param edgeAttention the highest edge severity in the evidence (0..100)
 * @param evidence      distinct pieces of evidence considered
 * @param decidedAt     processing time of the decision
 * @param breach        on a breach: the {@code TemperatureBreached} data to record (with its {@code decision})
 * @param incident      on a breach: the incident to open (one per shipment and product class)
 * @param probes        per probe, its figures and the policy's verdict on them; {@code assessment} is the worst's
 * @param worstProbe    the probe whose assessment decided, or null without evidence
 * @param unclassified  judged under the stage's default product class: the shipment has none of its own
 * @param missingSequences messages of the shipment's devices that never arrived (sequence holes)
 */
public record ColdChainDecision(String shipmentSscc, String productClass, ExposureStatus status,
                                ExposureAssessment assessment, int edgeAttention, int evidence, Instant decidedAt,
                                Optional<TemperatureBreached> breach, Optional<ShipmentIncident> incident,
                                Map<String, ExposureAssessment> probes, String worstProbe, boolean unclassified,
                                long missingSequences) {
    /** A decision over one series of evidence (no probes told apart). */
    public ColdChainDecision(String shipmentSscc, String productClass, ExposureStatus status,
                             ExposureAssessment assessment, int edgeAttention, int evidence, Instant decidedAt,
                             Optional<TemperatureBreached> breach, Optional<ShipmentIncident> incident) {
        this(shipmentSscc, productClass, status, assessment, edgeAttention, evidence, decidedAt, breach, incident,
                Map.of(), null, false, 0);
    }

    public ColdChainDecision {
        probes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(probes));
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(productClass, "productClass");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(assessment, "assessment");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(breach, "breach");
        Objects.requireNonNull(incident, "incident");
        if ((status == ExposureStatus.BREACHED) != breach.isPresent() || breach.isPresent() != incident.isPresent()) {
            throw new IllegalArgumentException("a breach decision, and only one, carries the breach and the incident");
        }
    }

    public boolean breached() {
        return status == ExposureStatus.BREACHED;
    }
}
