package io.waybill.edge.model;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link ExcursionDetector#accept(TemperatureReading)}: what the detector made of the reading and
 * the events it caused (usually none).
 */
public record ExcursionStep(ReadingVerdict verdict, List<ExcursionEvent> events) {
    static final ExcursionStep GLITCH = new ExcursionStep(ReadingVerdict.GLITCH, List.of());
    static final ExcursionStep OUT_OF_ORDER = new ExcursionStep(ReadingVerdict.OUT_OF_ORDER, List.of());
    static final ExcursionStep QUIET = new ExcursionStep(ReadingVerdict.ACCEPTED, List.of());

    public ExcursionStep {
        Objects.requireNonNull(verdict, "verdict");
        events = List.copyOf(events);
    }

    public boolean accepted() {
        return verdict == ReadingVerdict.ACCEPTED;
    }
}
