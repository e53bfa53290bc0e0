package io.waybill.domain.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A shipment exception ("incident"): what operations staff must act on, opened by a cloud decision (a cold-chain
 * breach), one per shipment, cause and excursion episode ({@link ExcursionEpisodes}), so one excursion never raises
 * two alerts and a new excursion after a resolution raises a new one. Immutable; the lifecycle
 * methods return the next state.
 *
 * @param incidentId      deterministic: the same decision always names the same incident
 * @param shipmentSscc    the shipment
 * @param kind            what it is about, e.g. {@code COLD_CHAIN_BREACH}
 * @param severity        e.g. {@code MINOR}, {@code MAJOR}, {@code CRITICAL}; may rise while open, never fall
 * @param summary         one line for a human
 * @param openedAt        when the decision opened it (processing time)
 * @param evidenceTime    event time of the evidence that tipped the decision
 * @param status          lifecycle position
 * @param acknowledgedAt  when it was acknowledged, or null
 * @param resolvedAt      when it was resolved, or null
 * @param resolution      the disposition text once resolved, or null
 * @param edgeAttention   the highest severity (0..100) the edge gave this shipment's alerts before the decision
 */
public record ShipmentIncident(String incidentId, String shipmentSscc, String kind, String severity, String summary,
                               Instant openedAt, Instant evidenceTime, IncidentStatus status, Instant acknowledgedAt,
                               Instant resolvedAt, String resolution, int edgeAttention) {
    public ShipmentIncident {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(status, "status");
        if (status == IncidentStatus.ACKNOWLEDGED && acknowledgedAt == null) {
            throw new IllegalArgumentException("an acknowledged incident needs acknowledgedAt");
        }
        if (status == IncidentStatus.RESOLVED && resolvedAt == null) {
            throw new IllegalArgumentException("a resolved incident needs resolvedAt");
        }
    }

    /** A new, open incident. */
    public static ShipmentIncident open(String incidentId, String shipmentSscc, String kind, String severity,
                                        String summary, Instant openedAt, Instant evidenceTime, int edgeAttention) {
        return new ShipmentIncident(incidentId, shipmentSscc, kind, severity, summary, openedAt, evidenceTime,
                IncidentStatus.OPEN, null, null, null, edgeAttention);
    }

    /**
     * @throws IllegalStateException when it is already acknowledged or resolved
     */
    public ShipmentIncident acknowledge(Instant at) {
        require(IncidentStatus.ACKNOWLEDGED);
        return new ShipmentIncident(incidentId, shipmentSscc, kind, severity, summary, openedAt, evidenceTime,
                IncidentStatus.ACKNOWLEDGED, at, null, null, edgeAttention);
    }

    /**
     * @throws IllegalStateException when it is already resolved
     */
    public ShipmentIncident resolve(Instant at, String resolution) {
        require(IncidentStatus.RESOLVED);
        return new ShipmentIncident(incidentId, shipmentSscc, kind, severity, summary, openedAt, evidenceTime,
                IncidentStatus.RESOLVED, acknowledgedAt, at, resolution, edgeAttention);
    }

    /** This incident under another id (the incident of its excursion episode, {@link ExcursionEpisodes}). */
    public ShipmentIncident withId(String otherIncidentId) {
        return new ShipmentIncident(otherIncidentId, shipmentSscc, kind, severity, summary, openedAt, evidenceTime,
                status, acknowledgedAt, resolvedAt, resolution, edgeAttention);
    }

    private void require(IncidentStatus next) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("incident " + incidentId + " is " + status + ", it cannot become " + next);
        }
    }

    /** Open to resolved, when resolved. */
    public Optional<Duration> resolutionTime() {
        return resolvedAt == null ? Optional.empty() : Optional.of(Duration.between(openedAt, resolvedAt));
    }

    /** Open to acknowledged, when acknowledged (or resolved after an acknowledgement). */
    public Optional<Duration> acknowledgementTime() {
        return acknowledgedAt == null ? Optional.empty() : Optional.of(Duration.between(openedAt, acknowledgedAt));
    }
}
