package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The edge model of one reefer container: readings in, {@link EdgeMessage}s out. What the Greengrass component
 * runs.
 *
 * <p>Per probe (the first reading of a sensor id creates its pipeline):
 * <ol>
 *   <li>the {@link ExcursionDetector} checks the reading (glitch and order filter) and detects excursions; every
 *       {@link ExcursionStarted}, {@link ExcursionUpdate} and {@link ExcursionEnded} becomes an
 *       {@link EdgeMessage.Kind#ALERT ALERT} at once: a {@code TemperatureBreached} (observed = peak, limit,
 *       duration so far) scored by the {@link SeverityScorer}, with {@link ExcursionInfo};</li>
 *   <li>accepted readings feed the {@link WindowSummarizer}; its windows are coalesced per
 *       {@link ReeferConfig#summaryHeartbeat()} period into one {@link EdgeMessage.Kind#SUMMARY SUMMARY}: a
 *       {@code TemperatureObserved} with its exposure statistics ({@link WindowSummary#merge} adds them), and the
 *       legacy {@link BandTime} derived from them.</li>
 * </ol>
 * Messages carry the deviceId of the edge device and one strictly increasing sequence across all its probes; the
 * payloads name the probe as their {@code deviceId}. Summaries closed by a reading come before the alerts it
 * raised. Deterministic, not thread-safe, no I/O, no clock.
 */
public final class ReeferEdgeModel {
    private final ReeferConfig config;
    private final SeverityScorer scorer;
    private final long heartbeatMillis;
    private final Map<String, Probe> probes = new LinkedHashMap<>();
    private final SequenceCounter sequence;

    public ReeferEdgeModel(ReeferConfig config) {
        this(config, new SequenceCounter(Objects.requireNonNull(config, "config").firstSequence()));
    }

    /**
     * A model that takes its sequence numbers from a counter shared with the device's other models (the
     * {@link ConveyorEdgeModel}); the counter's current value wins over {@link ReeferConfig#firstSequence()}.
     */
    public ReeferEdgeModel(ReeferConfig config, SequenceCounter sequence) {
        this.config = Objects.requireNonNull(config, "config");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
        this.scorer = new SeverityScorer(config.severity());
        this.heartbeatMillis = config.summaryHeartbeat().toMillis();
    }

    public ReeferConfig config() {
        return config;
    }

    /** Feeds one reading; returns the messages to send, in order (usually none). */
    public List<EdgeMessage> accept(TemperatureReading r) {
        Objects.requireNonNull(r, "reading");
        Probe p = probes.computeIfAbsent(r.sensorId(), Probe::new);
        List<EdgeMessage> out = new ArrayList<>(0);
        ExcursionStep step = p.detector.accept(r);
        if (step.accepted()) {
            for (WindowSummary w : p.windows.accept(r)) {
                p.coalesce(w, out);
            }
        }
        for (ExcursionEvent e : step.events()) {
            out.add(alert(p, e));
        }
        return out;
    }

    /** Feeds readings in order; returns all messages. */
    public List<EdgeMessage> acceptAll(Iterable<TemperatureReading> readings) {
        List<EdgeMessage> out = new ArrayList<>();
        for (TemperatureReading r : readings) {
            out.addAll(accept(r));
        }
        return out;
    }

    /**
     * Sends what is pending (end of the trip, component shutdown): each probe's current window and its partly
     * filled summary period. Open excursions stay open: the model cannot know they ended.
     */
    public List<EdgeMessage> flush() {
        List<EdgeMessage> out = new ArrayList<>();
        for (Probe p : probes.values()) {
            p.windows.flush().ifPresent(w -> p.coalesce(w, out));
            p.emitSpan(out);
        }
        return out;
    }

    /** The sequence number the next message will get. */
    public long nextSequence() {
        return sequence.peek();
    }

    /** The open excursion of a probe, if any. */
    public Optional<Excursion> openExcursion(String sensorId) {
        Probe p = probes.get(sensorId);
        return p == null ? Optional.empty() : p.detector.openExcursion();
    }

    /** Readings dropped as sensor glitches, all probes. */
    public long rejectedGlitches() {
        return probes.values().stream().mapToLong(p -> p.detector.rejectedGlitches()).sum();
    }

    /** Readings dropped as out of order, all probes. */
    public long rejectedOutOfOrder() {
        return probes.values().stream().mapToLong(p -> p.detector.rejectedOutOfOrder()).sum();
    }

    private EdgeMessage alert(Probe p, ExcursionEvent e) {
        Excursion x = e.excursion();
        TemperatureBreached payload = new TemperatureBreached(config.shipmentSscc(), p.sensorId, x.peakCelsius(),
                x.limitCelsius(), x.limit(), x.duration().toSeconds());
        Severity severity = scorer.score(x, config.band().sensitivity());
        return new EdgeMessage(config.deviceId(), sequence.next(), e.at(), EdgeMessage.Kind.ALERT, payload,
                severity.score(), null, ExcursionInfo.of(e));
    }

    private final class Probe {
        final String sensorId;
        final ExcursionDetector detector;
        final WindowSummarizer windows;
        WindowSummary span;
        long spanIndex;

        Probe(String sensorId) {
            this.sensorId = sensorId;
            this.detector = new ExcursionDetector(config.band(), config.excursion());
            this.windows = new WindowSummarizer(config.band(), config.window());
        }

        void coalesce(WindowSummary w, List<EdgeMessage> out) {
            long index = Math.floorDiv(w.periodStart().toEpochMilli(), heartbeatMillis);
            if (span != null && index != spanIndex) {
                emitSpan(out);
            }
            span = span == null ? w : span.merge(w);
            spanIndex = index;
            if (w.periodEnd().toEpochMilli() >= (index + 1) * heartbeatMillis) {
                emitSpan(out);
            }
        }

        void emitSpan(List<EdgeMessage> out) {
            if (span == null) {
                return;
            }
            out.add(new EdgeMessage(config.deviceId(), sequence.next(), span.lastReadingAt(),
                    EdgeMessage.Kind.SUMMARY,
                    span.toTemperatureObserved(config.shipmentSscc(), sensorId, config.window().reportedDecimals()),
                    0, span.bandTime(), null));
            span = null;
        }
    }
}
