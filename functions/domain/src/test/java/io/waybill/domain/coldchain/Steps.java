package io.waybill.domain.coldchain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: a step series written as "this temperature for that long", then a closing reading. */
final class Steps {
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    private final List<ExposureReading> readings = new ArrayList<>();
    private Instant next = T0;

    static Steps from(Instant start) {
        Steps s = new Steps();
        s.next = start;
        return s;
    }

    static Steps start() {
        return from(T0);
    }

    Steps hold(double celsius, Duration duration) {
        readings.add(new ExposureReading(next, celsius));
        next = next.plus(duration);
        return this;
    }

    Steps minutes(double celsius, long minutes) {
        return hold(celsius, Duration.ofMinutes(minutes));
    }

    Steps seconds(double celsius, long seconds) {
        return hold(celsius, Duration.ofSeconds(seconds));
    }

    /** The closing reading: it only ends the previous one's step. */
    List<ExposureReading> close(double celsius) {
        readings.add(new ExposureReading(next, celsius));
        return List.copyOf(readings);
    }

    static Instant at(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }
}
