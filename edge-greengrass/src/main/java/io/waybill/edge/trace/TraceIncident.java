package io.waybill.edge.trace;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happens in a golden trace, whether or not a model should report it (ground truth).
 *
 * @param kind        what happens
 * @param from        first affected sample
 * @param to          end of the incident (exclusive)
 * @param description in words, for test failure messages and the README
 */
public record TraceIncident(Kind kind, Instant from, Instant to, String description) {
    public enum Kind {
        /** Reefer defrost cycle: a mild rise that stays inside the band. Not an excursion. */
        DEFROST,
        /** Container door opened at a cross-dock: a short spike above the band. Not an excursion. */
        DOOR_OPENING,
        /** One implausible sample (60 °C or -40 °C). Not an excursion. */
        SENSOR_GLITCH,
        /** Refrigeration unit failure: a real excursion. */
        UNIT_FAILURE,
        /** A brief current spike on a conveyor drive (parcel dropped on the belt). Not a jam. */
        CURRENT_SPIKE,
        /** A conveyor jam: a sustained current rise. */
        JAM
    }

    public TraceIncident {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(description, "description");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("incident ends before it starts");
        }
    }

    /** Whether {@code t} lies in [from - margin, to + margin]. */
    public boolean covers(Instant t, Duration margin) {
        return !t.isBefore(from.minus(margin)) && !t.isAfter(to.plus(margin));
    }
}
