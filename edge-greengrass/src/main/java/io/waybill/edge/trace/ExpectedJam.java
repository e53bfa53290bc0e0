package io.waybill.edge.trace;

import java.time.Instant;
import java.util.Objects;

/**
 * Ground truth: a jam a detector must flag.
 *
 * @param sensorId   the drive's sensor
 * @param onsetAt    the first jammed sample
 * @param onsetIndex its index in the trace (0-based)
 * @param endAt      the first sample after the jam was cleared
 * @param endIndex   its index
 */
public record ExpectedJam(String sensorId, Instant onsetAt, int onsetIndex, Instant endAt, int endIndex) {
    public ExpectedJam {
        Objects.requireNonNull(sensorId, "sensorId");
        Objects.requireNonNull(onsetAt, "onsetAt");
        Objects.requireNonNull(endAt, "endAt");
        if (endIndex <= onsetIndex) {
            throw new IllegalArgumentException("a jam lasts at least one sample");
        }
    }
}
