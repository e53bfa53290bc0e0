package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A jam: the CUSUM of the robust z-scores crossed its decision threshold.
 *
 * @param sensorId          the drive's sensor
 * @param at                the sample that crossed the threshold
 * @param sampleIndex       its index (0 = the first sample the detector saw)
 * @param onsetAt           the onset estimate: the first of the consecutive samples above the CUSUM allowance that
 *                          end in the alarm (Page's estimate, the last time the sum was 0, runs early on noise)
 * @param onsetSampleIndex  its index
 * @param value             the signal value at {@code at}
 * @param baselineValue     the baseline the jam is measured against (frozen while the jam lasts)
 * @param scale             the noise σ, signal units
 */
public record JamDetected(String sensorId, Instant at, long sampleIndex, Instant onsetAt, long onsetSampleIndex,
                          double value, double baselineValue, double scale) implements JamEvent {
    public JamDetected {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(onsetAt, "onsetAt");
    }

    /** Samples from the estimated onset to the alarm, both included. */
    public long samplesToDetect() {
        return sampleIndex - onsetSampleIndex + 1;
    }

    /** How many σ above the baseline the alarming sample was. */
    public double zScore() {
        return (value - baselineValue) / scale;
    }
}
