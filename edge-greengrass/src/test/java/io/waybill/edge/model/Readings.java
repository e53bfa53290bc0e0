package io.waybill.edge.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hand-made reading sequences for tests: a cursor that advances one sampling interval per reading. */
final class Readings {
    static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    static final String PROBE = "reefer-01-ra";

    private final String sensorId;
    private final Duration step;
    private final List<TemperatureReading> readings = new ArrayList<>();
    private Instant next = T0;

    private Readings(String sensorId, Duration step) {
        this.sensorId = sensorId;
        this.step = step;
    }

    /** Readings of {@link #PROBE} every 30 s from {@link #T0}. */
    static Readings every30s() {
        return new Readings(PROBE, Duration.ofSeconds(30));
    }

    static Readings every(Duration step) {
        return new Readings(PROBE, step);
    }

    static Readings of(String sensorId, Duration step) {
        return new Readings(sensorId, step);
    }

    /** The same value for {@code d} (d / step readings). */
    Readings hold(double celsius, Duration d) {
        long n = d.toMillis() / step.toMillis();
        for (long i = 0; i < n; i++) {
            value(celsius);
        }
        return this;
    }

    /** One reading per value. */
    Readings values(double... celsius) {
        for (double c : celsius) {
            value(c);
        }
        return this;
    }

    /** Values alternating between a and b for {@code d}. */
    Readings alternate(double a, double b, Duration d) {
        long n = d.toMillis() / step.toMillis();
        for (long i = 0; i < n; i++) {
            value(i % 2 == 0 ? a : b);
        }
        return this;
    }

    /** No readings for {@code d} (a data gap). */
    Readings skip(Duration d) {
        next = next.plus(d);
        return this;
    }

    /** The time the next reading will get. */
    Instant now() {
        return next;
    }

    private void value(double c) {
        readings.add(new TemperatureReading(sensorId, next, c));
        next = next.plus(step);
    }

    List<TemperatureReading> build() {
        return List.copyOf(readings);
    }

    static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    /** All events of feeding the readings to the detector. */
    static List<ExcursionEvent> run(ExcursionDetector d, List<TemperatureReading> readings) {
        List<ExcursionEvent> events = new ArrayList<>();
        for (TemperatureReading r : readings) {
            events.addAll(d.accept(r).events());
        }
        return events;
    }
}
