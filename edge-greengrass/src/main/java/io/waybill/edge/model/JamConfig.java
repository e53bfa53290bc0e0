package io.waybill.edge.model;

/**
 * Tuning of the {@link ConveyorJamDetector}. Immutable; build with {@link #builder()} (every field starts at its
 * documented {@code DEFAULT_*} constant) or take {@link #defaults()}.
 *
 * <p>All thresholds are in units of the signal's robust standard deviation σ (its "normal noise"), so one config
 * fits a motor current in A and a vibration velocity in mm/s alike.
 *
 * @param warmUpSamples      samples used to learn the initial baseline (median) and noise σ (1.4826 x MAD); no
 *                           alarm is raised before the warm-up is complete
 * @param baselineAlpha      EWMA weight of a new sample in the baseline (tracks slow load drift)
 * @param scaleAlpha         EWMA weight of a new sample in the noise σ estimate
 * @param jamThresholdSigmas a sample this many σ above the baseline counts in full towards a jam; larger
 *                           deviations are clipped to it (a spike cannot count more than a jam sample). Samples are
 *                           also clipped to baseline ± this before they update the baseline
 * @param allowanceSigmas    CUSUM reference value k: deviations below this many σ are treated as noise and drain
 *                           the CUSUM sum
 * @param maxSamplesToDetect a jam (every sample at least {@code jamThresholdSigmas} above the baseline) is flagged
 *                           on or before its {@code maxSamplesToDetect}-th sample; the CUSUM decision threshold is
 *                           derived from it (see {@link #decisionThreshold()}); a spike of up to
 *                           {@code maxSamplesToDetect - 2} samples does not raise an alarm
 * @param clearSigmas        a jam clears once the signal is below baseline + this many σ ...
 * @param clearSamples       ... for this many consecutive samples
 * @param minScale           lower bound for σ in signal units (a quantised or dead-flat signal would otherwise make
 *                           every tiny step an infinite z-score)
 */
public record JamConfig(int warmUpSamples, double baselineAlpha, double scaleAlpha, double jamThresholdSigmas,
                        double allowanceSigmas, int maxSamplesToDetect, double clearSigmas, int clearSamples,
                        double minScale) {

    /** 120 samples: 2 minutes at 1 Hz. */
    public static final int DEFAULT_WARM_UP_SAMPLES = 120;
    /** 0.05: the baseline's time constant is ~20 samples, fast enough for load drift over minutes. */
    public static final double DEFAULT_BASELINE_ALPHA = 0.05;
    /** 0.01: σ is averaged over ~100 samples, steady enough to keep the false-alarm rate negligible. */
    public static final double DEFAULT_SCALE_ALPHA = 0.01;
    /** 4 σ. */
    public static final double DEFAULT_JAM_THRESHOLD_SIGMAS = 4.0;
    /** 0.5 σ: the classic CUSUM reference value for detecting shifts of 1 σ and more. */
    public static final double DEFAULT_ALLOWANCE_SIGMAS = 0.5;
    /** 5 samples: 5 s at 1 Hz, before a jammed parcel causes a pile-up at the merge. */
    public static final int DEFAULT_MAX_SAMPLES_TO_DETECT = 5;
    /** 2 σ. */
    public static final double DEFAULT_CLEAR_SIGMAS = 2.0;
    /** 10 samples. */
    public static final int DEFAULT_CLEAR_SAMPLES = 10;
    /** 0.01 signal units (10 mA, or 0.01 mm/s). */
    public static final double DEFAULT_MIN_SCALE = 0.01;

    public JamConfig {
        Configs.atLeast("warmUpSamples", warmUpSamples, 3);
        unitInterval("baselineAlpha", baselineAlpha);
        unitInterval("scaleAlpha", scaleAlpha);
        Configs.positive("jamThresholdSigmas", jamThresholdSigmas);
        Configs.nonNegative("allowanceSigmas", allowanceSigmas);
        if (!(allowanceSigmas < jamThresholdSigmas)) {
            throw new IllegalArgumentException("allowanceSigmas " + allowanceSigmas
                    + " must be below jamThresholdSigmas " + jamThresholdSigmas);
        }
        Configs.atLeast("maxSamplesToDetect", maxSamplesToDetect, 1);
        Configs.positive("clearSigmas", clearSigmas);
        Configs.atLeast("clearSamples", clearSamples, 1);
        Configs.positive("minScale", minScale);
    }

    private static void unitInterval(String name, double v) {
        if (!(v > 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1], was " + v);
        }
    }

    public static JamConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().warmUpSamples(warmUpSamples).baselineAlpha(baselineAlpha).scaleAlpha(scaleAlpha)
                .jamThresholdSigmas(jamThresholdSigmas).allowanceSigmas(allowanceSigmas)
                .maxSamplesToDetect(maxSamplesToDetect).clearSigmas(clearSigmas).clearSamples(clearSamples)
                .minScale(minScale);
    }

    /**
     * The CUSUM decision threshold h = (maxSamplesToDetect - 0.5) x (jamThresholdSigmas - allowanceSigmas), in σ:
     * a jam adds the full {@code jamThresholdSigmas - allowanceSigmas} per sample, so it reaches h on sample
     * {@code maxSamplesToDetect} at the latest even from an empty sum, while {@code maxSamplesToDetect - 2} clipped
     * spike samples stay 1.5 increments below it. With the defaults h = 15.75 σ; the in-control average run
     * length of a k = 0.5 CUSUM at that h is in the tens of millions of samples (Siegmund's approximation, for
     * Gaussian noise and exactly known baseline and σ; estimation error shortens it, clipping lengthens it).
     */
    public double decisionThreshold() {
        return (maxSamplesToDetect - 0.5) * (jamThresholdSigmas - allowanceSigmas);
    }

    public static final class Builder {
        private int warmUpSamples = DEFAULT_WARM_UP_SAMPLES;
        private double baselineAlpha = DEFAULT_BASELINE_ALPHA;
        private double scaleAlpha = DEFAULT_SCALE_ALPHA;
        private double jamThresholdSigmas = DEFAULT_JAM_THRESHOLD_SIGMAS;
        private double allowanceSigmas = DEFAULT_ALLOWANCE_SIGMAS;
        private int maxSamplesToDetect = DEFAULT_MAX_SAMPLES_TO_DETECT;
        private double clearSigmas = DEFAULT_CLEAR_SIGMAS;
        private int clearSamples = DEFAULT_CLEAR_SAMPLES;
        private double minScale = DEFAULT_MIN_SCALE;

        private Builder() {
        }

        public Builder warmUpSamples(int v) {
            this.warmUpSamples = v;
            return this;
        }

        public Builder baselineAlpha(double v) {
            this.baselineAlpha = v;
            return this;
        }

        public Builder scaleAlpha(double v) {
            this.scaleAlpha = v;
            return this;
        }

        public Builder jamThresholdSigmas(double v) {
            this.jamThresholdSigmas = v;
            return this;
        }

        public Builder allowanceSigmas(double v) {
            this.allowanceSigmas = v;
            return this;
        }

        public Builder maxSamplesToDetect(int v) {
            this.maxSamplesToDetect = v;
            return this;
        }

        public Builder clearSigmas(double v) {
            this.clearSigmas = v;
            return this;
        }

        public Builder clearSamples(int v) {
            this.clearSamples = v;
            return this;
        }

        public Builder minScale(double v) {
            this.minScale = v;
            return this;
        }

        public JamConfig build() {
            return new JamConfig(warmUpSamples, baselineAlpha, scaleAlpha, jamThresholdSigmas, allowanceSigmas,
                    maxSamplesToDetect, clearSigmas, clearSamples, minScale);
        }
    }
}
