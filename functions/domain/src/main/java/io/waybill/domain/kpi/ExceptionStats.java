package io.waybill.domain.kpi;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Shipment exceptions (incidents) attributed to a lane, a facility or the whole network, as of an instant.
 *
 * @param total         incidents opened at or before {@code asOf}
 * @param spoilage      of those, spoilage incidents ({@link KpiConfig#isSpoilage})
 * @param resolution    open-to-resolved durations of the incidents resolved at or before {@code asOf}
 * @param open          incidents not resolved at {@code asOf} (OPEN or ACKNOWLEDGED)
 * @param oldestOpenAge {@code asOf - openedAt} of the oldest open incident; empty when none is open
 */
public record ExceptionStats(int total, int spoilage, DurationStats resolution, int open,
                             Optional<Duration> oldestOpenAge) {
    public static final ExceptionStats NONE = new ExceptionStats(0, 0, DurationStats.none(), 0, Optional.empty());

    public ExceptionStats {
        Objects.requireNonNull(resolution, "resolution");
        Objects.requireNonNull(oldestOpenAge, "oldestOpenAge");
    }

    /** Resolved incidents: {@code resolution().count()}. */
    public int resolved() {
        return resolution.count();
    }
}
