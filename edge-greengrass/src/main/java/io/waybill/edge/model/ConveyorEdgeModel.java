package io.waybill.edge.model;

import io.waybill.domain.event.ConveyorJammed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The conveyor side of an edge device: drive samples in, jam {@link EdgeMessage.Kind#ALERT ALERT}s out.
 *
 * <p>One {@link ConveyorJamDetector} per drive sensor (the first sample of a sensor id creates it). A
 * {@link JamDetected} becomes an ALERT whose payload is a {@link ConveyorJammed} with phase {@code DETECTED}; the
 * matching {@link JamCleared} one with phase {@code CLEARED}, carrying the detection's onset, detection time,
 * samples to detect, baseline and σ (frozen while jammed), the jam's peak as its signal value, its end and duration.
 * Severity: {@link JamSeverityScorer}, in the message's {@code severity} and the payload's {@code edgeSeverity}.
 * Baseline and σ are rounded to 4 decimals, the z-score (computed before rounding) to 2; the signal value is sent as
 * read. Summaries: none (conveyor samples are not summarised yet).
 *
 * <p>The sequence numbers come from the device's {@link SequenceCounter}, shared with the {@link ReeferEdgeModel}.
 * Deterministic, not thread-safe, no I/O, no clock. A jam open when the process stops is not reported as cleared: the
 * detectors start over (warm-up) after a restart.
 */
public final class ConveyorEdgeModel {
    private final ConveyorConfig config;
    private final SequenceCounter sequence;
    private final Map<String, Drive> drives = new LinkedHashMap<>();

    public ConveyorEdgeModel(ConveyorConfig config, SequenceCounter sequence) {
        this.config = Objects.requireNonNull(config, "config");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
    }

    public ConveyorConfig config() {
        return config;
    }

    /** Feeds one drive sample; returns the messages to send, in order (usually none). */
    public List<EdgeMessage> accept(ConveyorReading r) {
        Objects.requireNonNull(r, "reading");
        Drive d = drives.computeIfAbsent(r.sensorId(), id -> new Drive(new ConveyorJamDetector(config.jam())));
        List<JamEvent> events = d.detector.accept(r);
        if (events.isEmpty()) {
            return List.of();
        }
        List<EdgeMessage> out = new ArrayList<>(events.size());
        for (JamEvent e : events) {
            if (e instanceof JamDetected detected) {
                d.open = detected;
                out.add(detected(detected));
            } else if (e instanceof JamCleared cleared) {
                out.add(cleared(d.open, cleared));
                d.open = null;
            }
        }
        return out;
    }

    /** Whether the drive's detector has a jam flagged now. */
    public boolean isJammed(String sensorId) {
        Drive d = drives.get(sensorId);
        return d != null && d.detector.isJammed();
    }

    /** Samples dropped as out of order, all drives. */
    public long rejectedOutOfOrder() {
        return drives.values().stream().mapToLong(d -> d.detector.rejectedOutOfOrder()).sum();
    }

    private EdgeMessage detected(JamDetected j) {
        double z = j.zScore();
        int severity = JamSeverityScorer.score(z, j.samplesToDetect(), 0);
        ConveyorJammed payload = new ConveyorJammed(config.deviceId(), j.sensorId(), config.facilityGln(),
                ConveyorJammed.Phase.DETECTED, j.onsetAt(), j.at(), null, (int) j.samplesToDetect(), config.unit(),
                j.value(), round(j.baselineValue(), 4), round(j.scale(), 4), round(z, 2), null, severity);
        return new EdgeMessage(config.deviceId(), sequence.next(), j.at(), EdgeMessage.Kind.ALERT, payload, severity);
    }

    private EdgeMessage cleared(JamDetected d, JamCleared c) {
        if (d == null) { // cannot happen: a detector clears only a jam it flagged
            throw new IllegalStateException("jam of " + c.sensorId() + " cleared without having been detected");
        }
        double z = (c.peakValue() - d.baselineValue()) / d.scale();
        long seconds = c.duration().toSeconds();
        int severity = JamSeverityScorer.score(z, d.samplesToDetect(), seconds);
        ConveyorJammed payload = new ConveyorJammed(config.deviceId(), c.sensorId(), config.facilityGln(),
                ConveyorJammed.Phase.CLEARED, c.onsetAt(), d.at(), c.endedAt(), (int) d.samplesToDetect(),
                config.unit(), c.peakValue(), round(d.baselineValue(), 4), round(d.scale(), 4), round(z, 2), seconds,
                severity);
        return new EdgeMessage(config.deviceId(), sequence.next(), c.at(), EdgeMessage.Kind.ALERT, payload, severity);
    }

    private static double round(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    private static final class Drive {
        final ConveyorJamDetector detector;
        JamDetected open;

        Drive(ConveyorJamDetector detector) {
            this.detector = detector;
        }
    }
}
