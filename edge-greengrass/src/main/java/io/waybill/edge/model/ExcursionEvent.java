package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached.Limit;

import java.time.Duration;
import java.time.Instant;

/**
 * What the {@link ExcursionDetector} reports: an excursion {@linkplain ExcursionStarted started} (debounce
 * satisfied), is {@linkplain ExcursionUpdate still going on}, or {@linkplain ExcursionEnded ended}.
 */
public sealed interface ExcursionEvent permits ExcursionStarted, ExcursionUpdate, ExcursionEnded {

    /** The timestamp of the reading that caused this event (device clock). */
    Instant at();

    /** The excursion as known at {@link #at()}. */
    Excursion excursion();

    default Instant start() {
        return excursion().start();
    }

    default Duration duration() {
        return excursion().duration();
    }

    default double peakCelsius() {
        return excursion().peakCelsius();
    }

    default Limit limit() {
        return excursion().limit();
    }

    default double degreeMinutes() {
        return excursion().degreeMinutes();
    }
}
