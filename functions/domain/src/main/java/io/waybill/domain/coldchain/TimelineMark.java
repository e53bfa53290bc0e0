package io.waybill.domain.coldchain;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * What a probe's time line needs to know of one piece of primary evidence (a reading or a summary) to link it to its
 * neighbours: where it starts, until when it describes the probe, and, for a reading, the value it holds.
 *
 * @param evidenceId   the evidence
 * @param point        true for a single reading or a summary without statistics (a mean): its value holds until the
 *                     next piece, at most the interpolation limit; false for a summary with statistics, whose own
 *                     statistics already hold its last reading until the next one
 * @param start        the reading's time, the summary's first reading
 * @param coveredUntil the reading's time; the end of the time a summary describes
 * @param celsius      the reading; a summary's mean (orders evidence of the same time only)
 */
public record TimelineMark(String evidenceId, boolean point, Instant start, Instant coveredUntil, double celsius) {
    /**
     * Time line order: by start, then coolest first (of two readings at the same time the warmest holds: the
     * conservative choice for heat-sensitive goods), then by id.
     */
    public static final Comparator<TimelineMark> ORDER = Comparator.comparing(TimelineMark::start)
            .thenComparingDouble(TimelineMark::celsius).thenComparing(TimelineMark::evidenceId);

    public TimelineMark {
        Objects.requireNonNull(evidenceId, "evidenceId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(coveredUntil, "coveredUntil");
    }

    public static TimelineMark of(ExposureEvidence e) {
        if (!e.primary()) {
            throw new IllegalArgumentException("an excursion report is not on the time line: " + e.evidenceId());
        }
        return new TimelineMark(e.evidenceId(), e.statistics() == null, e.start(), e.coveredUntil(), e.celsius());
    }

    /**
     * The time between this mark and the next one on the probe's time line: a reading (or a summary's mean) holds its
     * value for at most {@code maxGap}, the rest is unknown; after a summary with statistics the whole gap is unknown
     * (its statistics already hold its last reading until the next one). Nothing when they overlap.
     */
    public ExposureTotals linkTo(TimelineMark next, TemperatureBand band, Duration maxGap) {
        long gap = Duration.between(coveredUntil, next.start).toMillis();
        if (gap <= 0) {
            return ExposureTotals.ZERO;
        }
        if (!point) {
            return ExposureTotals.unknown(gap);
        }
        long hold = Math.min(gap, maxGap.toMillis());
        return ExposureTotals.hold(celsius, hold, band).plus(ExposureTotals.unknown(gap - hold));
    }

    /** True when {@code other} comes after this mark on the time line. */
    public boolean before(TimelineMark other) {
        return ORDER.compare(this, other) < 0;
    }
}
