package io.waybill.edge.trace;

import io.waybill.domain.event.TemperatureBreached.Limit;
import io.waybill.edge.model.Excursion;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Ground truth: an excursion a detector must report.
 *
 * @param sensorId       the probe
 * @param limit          the side of the band
 * @param start          the nominal start (the temperature crossing the enter threshold)
 * @param end            the nominal end (the temperature back below the exit threshold)
 * @param tolerance      how far the detected start and end may be from the nominal ones (sampling, noise)
 * @param minPeakCelsius the detected peak is at least this far out (in the limit's direction)
 * @param maxPeakCelsius ... and at most this
 */
public record ExpectedExcursion(String sensorId, Limit limit, Instant start, Instant end, Duration tolerance,
                                double minPeakCelsius, double maxPeakCelsius) {
    public ExpectedExcursion {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(tolerance, "tolerance");
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    /** Whether an ended excursion matches this one (sensor, side, start and end within tolerance, peak in range). */
    public boolean matches(Excursion x) {
        return x.sensorId().equals(sensorId) && x.limit() == limit && x.end() != null
                && within(x.start(), start) && within(x.end(), end)
                && x.peakCelsius() >= minPeakCelsius && x.peakCelsius() <= maxPeakCelsius;
    }

    private boolean within(Instant actual, Instant nominal) {
        return Duration.between(nominal, actual).abs().compareTo(tolerance) <= 0;
    }
}
