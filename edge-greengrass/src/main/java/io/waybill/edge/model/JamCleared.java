package io.waybill.edge.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The signal has been back near its baseline for {@link JamConfig#clearSamples()} samples.
 *
 * @param sensorId  the drive's sensor
 * @param at        the sample that confirmed the clearing
 * @param onsetAt   the jam's estimated onset (as in {@link JamDetected#onsetAt()})
 * @param endedAt   the first sample of the run back near the baseline
 * @param duration  {@code endedAt - onsetAt}
 * @param peakValue the highest signal value during the jam
 */
public record JamCleared(String sensorId, Instant at, Instant onsetAt, Instant endedAt, Duration duration,
                         double peakValue) implements JamEvent {
    public JamCleared {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(onsetAt, "onsetAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(duration, "duration");
    }
}
