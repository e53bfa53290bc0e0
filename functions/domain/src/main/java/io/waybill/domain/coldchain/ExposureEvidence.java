package io.waybill.domain.coldchain;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureObserved;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One piece of temperature evidence about a shipment, taken from a canonical event: what the cloud's exposure
 * figures are computed from, per probe ({@link #probeId()}). Kinds, by how much they say about the time they cover:
 * <ul>
 *   <li>{@link Kind#POINT}: a logger's single reading ({@code TemperatureObserved} with one reading or an empty
 *       window); it holds until the probe's next reading, for at most the policy's maximum interpolation gap.</li>
 *   <li>{@link Kind#WINDOW}: a summary over {@code [start, end]}. With {@link #statistics()} (Waybill's edge from 1.3)
 *       its exactly mergeable statistics are the truth for the time they cover; without (older components, loggers
 *       that send means) its mean stands for the whole window.</li>
 *   <li>{@link Kind#EXCURSION}: a device's or the edge's breach report ({@code TemperatureBreached} without a
 *       cloud decision) covering {@code [time - durationSeconds, time]} at the observed temperature: it stands in for
 *       time the probe's readings and summaries do not cover yet (alerts overtake the summary backlog).</li>
 * </ul>
 * The cloud's own decisions are not evidence (they are computed from it).
 *
 * @param evidenceId   the event's id (evidence is stored and de-duplicated by it)
 * @param shipmentSscc the shipment
 * @param deviceId     the logger or probe as the payload names it
 * @param kind         see above
 * @param start        start of the covered time (= {@code end} for a point)
 * @param end          end of the covered time, the event time
 * @param celsius      the reading, the window's mean, or the excursion's observed temperature, °C
 * @param edgeSeverity the edge's severity score of an excursion (0..100); 0 otherwise
 * @param probeId      the probe the evidence is about: the payload's device id, qualified by the producing device
 *                     when that is another one ({@code <producer>/<deviceId>}: an edge device's probes)
 * @param minCelsius   the lowest reading covered (= celsius for a point or an excursion)
 * @param maxCelsius   the highest reading covered (= celsius for a point or an excursion)
 * @param readingCount readings covered (1 for a point, 0 for an excursion)
 * @param statistics   a summary's exactly mergeable statistics, or null
 * @param producerId   the device or partner that sent it (the last part of the event source)
 * @param sequence     the producer's message sequence number, when it numbers its messages; else null
 */
public record ExposureEvidence(String evidenceId, String shipmentSscc, String deviceId, Kind kind, Instant start,
                              Instant end, double celsius, int edgeSeverity, String probeId, double minCelsius,
                              double maxCelsius, int readingCount, ExposureStatistics statistics, String producerId,
                              Long sequence) {

    public enum Kind { POINT, WINDOW, EXCURSION }

    /** Evidence of one probe named by its device id, without statistics or sequence. */
    public ExposureEvidence(String evidenceId, String shipmentSscc, String deviceId, Kind kind, Instant start,
                            Instant end, double celsius, int edgeSeverity) {
        this(evidenceId, shipmentSscc, deviceId, kind, start, end, celsius, edgeSeverity, deviceId, celsius, celsius,
                kind == Kind.EXCURSION ? 0 : 1, null, deviceId, null);
    }

    public ExposureEvidence {
        Objects.requireNonNull(evidenceId, "evidenceId");
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(probeId, "probeId");
        Objects.requireNonNull(producerId, "producerId");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("evidence " + evidenceId + " ends before it starts");
        }
        if (kind == Kind.POINT && !start.equals(end)) {
            throw new IllegalArgumentException("a point reading covers no time: " + evidenceId);
        }
        if (!Double.isFinite(celsius)) {
            throw new InvalidReadingException(end, celsius, "expected a finite number");
        }
        if (!Double.isFinite(minCelsius) || !Double.isFinite(maxCelsius) || minCelsius > maxCelsius) {
            throw new IllegalArgumentException("evidence " + evidenceId + ": min " + minCelsius + " °C, max "
                    + maxCelsius + " °C");
        }
        if (edgeSeverity < 0 || edgeSeverity > 100) {
            throw new IllegalArgumentException("edgeSeverity must be 0..100, was " + edgeSeverity);
        }
        if (readingCount < 0) {
            throw new IllegalArgumentException("readingCount must not be negative, was " + readingCount);
        }
        if (statistics != null && kind != Kind.WINDOW) {
            throw new IllegalArgumentException("only a window summary carries statistics: " + evidenceId);
        }
    }

    /** True for the evidence a probe's time line is made of (readings and summaries, not excursion reports). */
    public boolean primary() {
        return kind != Kind.EXCURSION;
    }

    /** End of the time this evidence describes: a summary with statistics covers its readings' holds. */
    public Instant coveredUntil() {
        return statistics == null ? end : start.plusMillis(statistics.spanMillis());
    }

    /**
     * The evidence a canonical event carries, if any: temperature observations and device/edge breach reports;
     * nothing for other types and for the cloud's own breach decisions.
     */
    public static Optional<ExposureEvidence> of(CanonicalEvent e) {
        String producer = producerOf(e.source());
        if (e.data() instanceof TemperatureObserved o) {
            boolean point = o.readingCount() <= 1 || !o.windowEnd().isAfter(o.windowStart());
            String probe = probeId(producer, o.deviceId());
            return Optional.of(point && o.exposure() == null
                    ? new ExposureEvidence(e.id(), o.shipmentSscc(), o.deviceId(), Kind.POINT, o.windowEnd(),
                    o.windowEnd(), o.meanCelsius(), 0, probe, o.minCelsius(), o.maxCelsius(), o.readingCount(), null,
                    producer, e.sequence())
                    : new ExposureEvidence(e.id(), o.shipmentSscc(), o.deviceId(), Kind.WINDOW, o.windowStart(),
                    o.windowEnd(), o.meanCelsius(), 0, probe, o.minCelsius(), o.maxCelsius(), o.readingCount(),
                    o.exposure(), producer, e.sequence()));
        }
        if (e.data() instanceof TemperatureBreached b && b.decision() == null) {
            Instant end = e.time();
            Instant start = b.durationSeconds() == null ? end : end.minus(Duration.ofSeconds(b.durationSeconds()));
            return Optional.of(new ExposureEvidence(e.id(), b.shipmentSscc(), b.deviceId(), Kind.EXCURSION, start,
                    end, b.observedCelsius(), b.edgeSeverity() == null ? 0 : b.edgeSeverity(),
                    probeId(producer, b.deviceId()), b.observedCelsius(), b.observedCelsius(), 0, null, producer,
                    e.sequence()));
        }
        return Optional.empty();
    }

    /** The producing device or partner: the last part of a {@code urn:waybill:<adapter>:<id>} source. */
    static String producerOf(String source) {
        int at = source.lastIndexOf(':');
        return at < 0 ? source : source.substring(at + 1);
    }

    /** A probe's name: the payload's device id, qualified by the producer when that is another device. */
    public static String probeId(String producer, String deviceId) {
        return deviceId.equals(producer) ? deviceId : producer + "/" + deviceId;
    }
}
