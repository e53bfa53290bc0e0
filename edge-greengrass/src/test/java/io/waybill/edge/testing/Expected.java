package io.waybill.edge.testing;

import io.waybill.edge.component.EdgeComponentConfig;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.trace.TraceSample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the component must send, computed with the (deterministic) model offline; and the receiving side's dedupe. */
public final class Expected {
    public static final String SSCC = "106141412345678908";
    public static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    private Expected() {
    }

    /**
     * The messages of one component instance per part: each instance replays its part and flushes at shutdown; the
     * next one continues the sequence.
     */
    public static List<EdgeMessage> messages(EdgeComponentConfig config, List<List<TraceSample>> parts) {
        List<EdgeMessage> out = new ArrayList<>();
        long next = 0;
        for (List<TraceSample> part : parts) {
            ReeferEdgeModel model = new ReeferEdgeModel(config.reeferConfig(next));
            for (TraceSample s : part) {
                out.addAll(model.accept(s.toTemperatureReading()));
            }
            out.addAll(model.flush());
            next = model.nextSequence();
        }
        return out;
    }

    /** A probe at {@code before} °C for an hour, {@code during} °C for 40 minutes, back for 30: one excursion. */
    public static List<TraceSample> oneExcursion(String sensorId, double before, double during) {
        List<TraceSample> out = new ArrayList<>();
        long t = T0.toEpochMilli();
        for (int i = 0; i < 260; i++, t += 30_000) {
            double v = i >= 120 && i < 200 ? during : before;
            out.add(new TraceSample(sensorId, t, v + (i % 3) * 0.01));
        }
        return out;
    }

    /** Parses payloads and keeps the first of each (deviceId, sequence), in arrival order: the cloud's dedupe. */
    public static List<EdgeMessage> dedupe(List<byte[]> payloads) {
        Map<String, EdgeMessage> seen = new LinkedHashMap<>();
        for (byte[] p : payloads) {
            EdgeMessage m = EdgeMessageJson.fromBytes(p);
            seen.putIfAbsent(m.deviceId() + "#" + m.sequence(), m);
        }
        return List.copyOf(seen.values());
    }

    /** {@code messages} sorted by sequence: what arrived, whatever overtook what (alerts go before summaries). */
    public static List<EdgeMessage> bySequence(List<EdgeMessage> messages) {
        return messages.stream().sorted(java.util.Comparator.comparingLong(EdgeMessage::sequence)).toList();
    }

    /** Whether the messages of each kind arrived in sequence order, each once. */
    public static boolean eachKindInSequenceOrder(List<EdgeMessage> messages) {
        for (EdgeMessage.Kind kind : EdgeMessage.Kind.values()) {
            long last = Long.MIN_VALUE;
            for (EdgeMessage m : messages) {
                if (m.kind() == kind) {
                    if (m.sequence() <= last) {
                        return false;
                    }
                    last = m.sequence();
                }
            }
        }
        return true;
    }
}
