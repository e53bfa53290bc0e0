package io.waybill.edge.model;

import java.time.Duration;
import java.time.Instant;

/**
 * Rejects out-of-order readings and sensor glitches: readings outside the plausible range, and jumps from the last
 * accepted reading larger than {@link ExcursionConfig#maxPlausibleJump(Duration)}. After
 * {@link ExcursionConfig#maxConsecutiveGlitches()} rejected jumps in a row the next in-range reading is accepted as
 * the new level, so a real step (probe moved) cannot lock the filter.
 */
final class GlitchFilter {
    private final ExcursionConfig config;
    private Instant lastSeenAt;
    private TemperatureReading reference;
    private int consecutiveRejected;

    GlitchFilter(ExcursionConfig config) {
        this.config = config;
    }

    ReadingVerdict check(TemperatureReading r) {
        if (lastSeenAt != null && !r.at().isAfter(lastSeenAt)) {
            return ReadingVerdict.OUT_OF_ORDER;
        }
        lastSeenAt = r.at();
        if (r.celsius() < config.plausibleMinCelsius() || r.celsius() > config.plausibleMaxCelsius()) {
            consecutiveRejected++;
            return ReadingVerdict.GLITCH;
        }
        if (reference != null && consecutiveRejected < config.maxConsecutiveGlitches()) {
            double allowed = config.maxPlausibleJump(Duration.between(reference.at(), r.at()));
            if (Math.abs(r.celsius() - reference.celsius()) > allowed) {
                consecutiveRejected++;
                return ReadingVerdict.GLITCH;
            }
        }
        consecutiveRejected = 0;
        reference = r;
        return ReadingVerdict.ACCEPTED;
    }
}
