package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The outside condition has held for {@link ExcursionConfig#minDuration()}: an excursion is open since
 * {@code excursion().start()}, which is {@code minDuration} or more before {@link #at()}.
 */
public record ExcursionStarted(Instant at, Excursion excursion) implements ExcursionEvent {
    public ExcursionStarted {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(excursion, "excursion");
    }
}
