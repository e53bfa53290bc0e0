package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The readings have been back inside for {@link ExcursionConfig#exitDuration()}: the excursion ended at
 * {@code excursion().end()}, which is {@code exitDuration} or more before {@link #at()}.
 */
public record ExcursionEnded(Instant at, Excursion excursion) implements ExcursionEvent {
    public ExcursionEnded {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(excursion, "excursion");
        if (excursion.isOpen()) {
            throw new IllegalArgumentException("an ended excursion has an end");
        }
    }
}
