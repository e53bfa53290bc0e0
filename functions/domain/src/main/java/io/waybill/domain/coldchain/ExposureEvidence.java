package io.waybill.domain.coldchain;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One piece of temperature evidence about a shipment, taken from a canonical event: what the cloud's exposure
 * figures are computed from. Three kinds, by how much they say about the time they cover:
 * <ul>
 *   <li>{@link Kind#POINT}: a logger's single reading ({@code TemperatureObserved} with one reading or an empty
 *       window); it holds until the next point reading (step interpolation, as {@code ./waybill coldchain}).</li>
 *   <li>{@link Kind#WINDOW}: a summary over {@code [start, end]} (the edge's windowed summaries); its mean stands
 *       for the whole window.</li>
 *   <li>{@link Kind#EXCURSION}: a device's or the edge's breach report ({@code TemperatureBreached} without a
 *       cloud decision) covering {@code [time - durationSeconds, time]} at the observed temperature.</li>
 * </ul>
 * The cloud's own decisions are not evidence (they are computed from it).
 *
 * @param evidenceId   the event's id (evidence is stored and de-duplicated by it)
 * @param shipmentSscc the shipment
 * @param deviceId     the logger or probe
 * @param kind         see above
 * @param start        start of the covered time (= {@code end} for a point)
 * @param end          end of the covered time, the event time
 * @param celsius      the reading, the window's mean, or the excursion's observed temperature, °C
 * @param edgeSeverity the edge's severity score of an excursion (0..100); 0 otherwise
 */
public record ExposureEvidence(String evidenceId, String shipmentSscc, String deviceId, Kind kind, Instant start,
                              Instant end, double celsius, int edgeSeverity) {

    public enum Kind { POINT, WINDOW, EXCURSION }

    public ExposureEvidence {
        Objects.requireNonNull(evidenceId, "evidenceId");
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("evidence " + evidenceId + " ends before it starts");
        }
        if (kind == Kind.POINT && !start.equals(end)) {
            throw new IllegalArgumentException("a point reading covers no time: " + evidenceId);
        }
        if (!Double.isFinite(celsius)) {
            throw new InvalidReadingException(end, celsius, "expected a finite number");
        }
        if (edgeSeverity < 0 || edgeSeverity > 100) {
            throw new IllegalArgumentException("edgeSeverity must be 0..100, was " + edgeSeverity);
        }
    }

    /**
     * The evidence a canonical event carries, if any: temperature observations and device/edge breach reports;
     * nothing for other types and for the cloud's own breach decisions.
     */
    public static Optional<ExposureEvidence> of(CanonicalEvent e) {
        if (e.data() instanceof TemperatureObserved o) {
            boolean point = o.readingCount() <= 1 || !o.windowEnd().isAfter(o.windowStart());
            return Optional.of(point
                    ? new ExposureEvidence(e.id(), o.shipmentSscc(), o.deviceId(), Kind.POINT, o.windowEnd(),
                    o.windowEnd(), o.meanCelsius(), 0)
                    : new ExposureEvidence(e.id(), o.shipmentSscc(), o.deviceId(), Kind.WINDOW, o.windowStart(),
                    o.windowEnd(), o.meanCelsius(), 0));
        }
        if (e.data() instanceof TemperatureBreached b && b.decision() == null) {
            Instant end = e.time();
            Instant start = b.durationSeconds() == null ? end : end.minus(Duration.ofSeconds(b.durationSeconds()));
            return Optional.of(new ExposureEvidence(e.id(), b.shipmentSscc(), b.deviceId(), Kind.EXCURSION, start,
                    end, b.observedCelsius(), b.edgeSeverity() == null ? 0 : b.edgeSeverity()));
        }
        return Optional.empty();
    }
}
