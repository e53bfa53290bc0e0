package io.waybill.edge.model;

import java.time.Duration;

/**
 * Tuning of the {@link ExcursionDetector}. Immutable; build with {@link #builder()} (every field starts at its
 * documented {@code DEFAULT_*} constant) or take {@link #defaults()}.
 *
 * @param enterMarginCelsius     a reading counts as outside when it is beyond the band limit by more than this, °C
 * @param exitMarginCelsius      an outside condition ends only when a reading is back inside the band by at least
 *                               this, °C (hysteresis: with both margins at 0.5 a 2..8 °C band is left above 8.5
 *                               and re-entered at or below 7.5)
 * @param minDuration            the outside condition must hold this long before an excursion opens (debounce)
 * @param exitDuration           once open, the readings must stay back inside this long before the excursion ends;
 *                               the end reported is the first reading back inside
 * @param updateInterval         while an excursion is open, an {@link ExcursionUpdate} is emitted this often
 * @param maxJumpCelsius         glitch filter: a change of more than this between consecutive readings
 *                               {@code maxJumpInterval} apart is physically implausible; the allowance grows
 *                               linearly for readings further apart (never shrinks below this value)
 * @param maxJumpInterval        the interval {@code maxJumpCelsius} refers to
 * @param plausibleMinCelsius    readings below this are sensor faults, always rejected
 * @param plausibleMaxCelsius    readings above this are sensor faults, always rejected
 * @param maxConsecutiveGlitches after this many consecutive rejected jumps the next in-range reading is accepted
 *                               as the new level (a real step, e.g. a probe moved or re-seated)
 * @param maxSampleGap           the longest interval one reading is assumed to hold for (degree-minutes); a gap
 *                               longer than this also restarts a debounce that has not confirmed yet
 */
public record ExcursionConfig(double enterMarginCelsius, double exitMarginCelsius, Duration minDuration,
                              Duration exitDuration, Duration updateInterval, double maxJumpCelsius,
                              Duration maxJumpInterval, double plausibleMinCelsius, double plausibleMaxCelsius,
                              int maxConsecutiveGlitches, Duration maxSampleGap) {

    /** 0.5 °C: above the ±0.3 °C noise of a reefer probe, below any tolerance a QA team would grant. */
    public static final double DEFAULT_ENTER_MARGIN_CELSIUS = 0.5;
    /** 0.5 °C: leaves a 1 °C dead band around the limit together with the enter margin. */
    public static final double DEFAULT_EXIT_MARGIN_CELSIUS = 0.5;
    /** 5 minutes: a door opening (40-90 s) or a defrost overshoot is not an excursion. */
    public static final Duration DEFAULT_MIN_DURATION = Duration.ofMinutes(5);
    /** 2 minutes: one reading dipping back inside during a failure does not split it in two. */
    public static final Duration DEFAULT_EXIT_DURATION = Duration.ofMinutes(2);
    /** 1 hour: a long excursion reports progress hourly between its start and its end. */
    public static final Duration DEFAULT_UPDATE_INTERVAL = Duration.ofHours(1);
    /** 10 °C (with {@link #DEFAULT_MAX_JUMP_INTERVAL}) ... */
    public static final double DEFAULT_MAX_JUMP_CELSIUS = 10.0;
    /** ... per 10 s: the air in a loaded container cannot change faster. */
    public static final Duration DEFAULT_MAX_JUMP_INTERVAL = Duration.ofSeconds(10);
    /** -50 °C: below the range of reefer units (deep-frozen -35 °C / -60 °C units need a lower value). */
    public static final double DEFAULT_PLAUSIBLE_MIN_CELSIUS = -50.0;
    /** 70 °C: above any container in the sun; common probe fault codes (85 °C, 127 °C) fall outside. */
    public static final double DEFAULT_PLAUSIBLE_MAX_CELSIUS = 70.0;
    /** 3: a real step is accepted after 3 rejected readings (90 s at 1 reading / 30 s). */
    public static final int DEFAULT_MAX_CONSECUTIVE_GLITCHES = 3;
    /** 2 minutes: up to three missed readings at 1 reading / 30 s. */
    public static final Duration DEFAULT_MAX_SAMPLE_GAP = Duration.ofMinutes(2);

    public ExcursionConfig {
        Configs.nonNegative("enterMarginCelsius", enterMarginCelsius);
        Configs.nonNegative("exitMarginCelsius", exitMarginCelsius);
        Configs.nonNegative("minDuration", minDuration);
        Configs.nonNegative("exitDuration", exitDuration);
        Configs.positive("updateInterval", updateInterval);
        Configs.positive("maxJumpCelsius", maxJumpCelsius);
        Configs.positive("maxJumpInterval", maxJumpInterval);
        if (Double.isNaN(plausibleMinCelsius) || Double.isNaN(plausibleMaxCelsius)
                || !(plausibleMinCelsius < plausibleMaxCelsius)) {
            throw new IllegalArgumentException("plausible range " + plausibleMinCelsius + ".." + plausibleMaxCelsius
                    + " is empty");
        }
        Configs.atLeast("maxConsecutiveGlitches", maxConsecutiveGlitches, 1);
        Configs.positive("maxSampleGap", maxSampleGap);
    }

    public static ExcursionConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enterMarginCelsius(enterMarginCelsius).exitMarginCelsius(exitMarginCelsius)
                .minDuration(minDuration).exitDuration(exitDuration).updateInterval(updateInterval)
                .maxJumpCelsius(maxJumpCelsius).maxJumpInterval(maxJumpInterval)
                .plausibleMinCelsius(plausibleMinCelsius).plausibleMaxCelsius(plausibleMaxCelsius)
                .maxConsecutiveGlitches(maxConsecutiveGlitches).maxSampleGap(maxSampleGap);
    }

    /** The largest plausible change between two readings {@code dt} apart, °C. */
    public double maxPlausibleJump(Duration dt) {
        double ratio = (double) dt.toMillis() / maxJumpInterval.toMillis();
        return maxJumpCelsius * Math.max(1.0, ratio);
    }

    public static final class Builder {
        private double enterMarginCelsius = DEFAULT_ENTER_MARGIN_CELSIUS;
        private double exitMarginCelsius = DEFAULT_EXIT_MARGIN_CELSIUS;
        private Duration minDuration = DEFAULT_MIN_DURATION;
        private Duration exitDuration = DEFAULT_EXIT_DURATION;
        private Duration updateInterval = DEFAULT_UPDATE_INTERVAL;
        private double maxJumpCelsius = DEFAULT_MAX_JUMP_CELSIUS;
        private Duration maxJumpInterval = DEFAULT_MAX_JUMP_INTERVAL;
        private double plausibleMinCelsius = DEFAULT_PLAUSIBLE_MIN_CELSIUS;
        private double plausibleMaxCelsius = DEFAULT_PLAUSIBLE_MAX_CELSIUS;
        private int maxConsecutiveGlitches = DEFAULT_MAX_CONSECUTIVE_GLITCHES;
        private Duration maxSampleGap = DEFAULT_MAX_SAMPLE_GAP;

        private Builder() {
        }

        public Builder enterMarginCelsius(double v) {
            this.enterMarginCelsius = v;
            return this;
        }

        public Builder exitMarginCelsius(double v) {
            this.exitMarginCelsius = v;
            return this;
        }

        public Builder minDuration(Duration v) {
            this.minDuration = v;
            return this;
        }

        public Builder exitDuration(Duration v) {
            this.exitDuration = v;
            return this;
        }

        public Builder updateInterval(Duration v) {
            this.updateInterval = v;
            return this;
        }

        public Builder maxJumpCelsius(double v) {
            this.maxJumpCelsius = v;
            return this;
        }

        public Builder maxJumpInterval(Duration v) {
            this.maxJumpInterval = v;
            return this;
        }

        public Builder plausibleMinCelsius(double v) {
            this.plausibleMinCelsius = v;
            return this;
        }

        public Builder plausibleMaxCelsius(double v) {
            this.plausibleMaxCelsius = v;
            return this;
        }

        public Builder maxConsecutiveGlitches(int v) {
            this.maxConsecutiveGlitches = v;
            return this;
        }

        public Builder maxSampleGap(Duration v) {
            this.maxSampleGap = v;
            return this;
        }

        public ExcursionConfig build() {
            return new ExcursionConfig(enterMarginCelsius, exitMarginCelsius, minDuration, exitDuration,
                    updateInterval, maxJumpCelsius, maxJumpInterval, plausibleMinCelsius, plausibleMaxCelsius,
                    maxConsecutiveGlitches, maxSampleGap);
        }
    }
}
