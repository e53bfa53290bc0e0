package io.waybill.edge.model;

import io.waybill.domain.event.EventData;

import java.time.Instant;
import java.util.Objects;

/**
 * What the edge sends up: a canonical payload plus the device's own time and sequence number.
 *
 * @param deviceId   the edge device (the Greengrass core / reefer controller); the scope of {@code sequence}
 * @param sequence   per-device, strictly increasing (gaps reveal lost messages; the cloud orders by it)
 * @param deviceTime the device-clock time of the reading that produced the message
 * @param kind       {@link Kind#SUMMARY} (a {@code TemperatureObserved}) or {@link Kind#ALERT} (a
 *                   {@code TemperatureBreached}, or a {@code ConveyorJammed} from the {@link ConveyorEdgeModel})
 * @param payload    the canonical payload
 * @param severity   the edge's severity score 0..100 ({@link SeverityScorer}, {@link JamSeverityScorer} for jams);
 *                   0 for summaries
 * @param bandTime   summaries only: time above / below the band of the summarised readings, whole seconds rounded
 *                   down from the payload's exposure statistics ({@link WindowSummary#bandTime()}; kept for
 *                   components that read it); else null
 * @param excursion  temperature alerts only: which excursion, its phase and degree-minutes; else null
 */
public record EdgeMessage(String deviceId, long sequence, Instant deviceTime, Kind kind, EventData payload,
                          int severity, BandTime bandTime, ExcursionInfo excursion) {

    public enum Kind { SUMMARY, ALERT }

    public EdgeMessage {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceTime, "deviceTime");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId is blank");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
        }
        if (severity < 0 || severity > 100) {
            throw new IllegalArgumentException("severity must be 0..100, was " + severity);
        }
        if (bandTime != null && kind != Kind.SUMMARY) {
            throw new IllegalArgumentException("bandTime belongs to summaries");
        }
        if (excursion != null && kind != Kind.ALERT) {
            throw new IllegalArgumentException("excursion belongs to alerts");
        }
    }

    /** A message without the optional summary / alert details. */
    public EdgeMessage(String deviceId, long sequence, Instant deviceTime, Kind kind, EventData payload,
                       int severity) {
        this(deviceId, sequence, deviceTime, kind, payload, severity, null, null);
    }
}
