package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/** An open excursion's progress, every {@link ExcursionConfig#updateInterval()} after it started. */
public record ExcursionUpdate(Instant at, Excursion excursion) implements ExcursionEvent {
    public ExcursionUpdate {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(excursion, "excursion");
    }
}
