package io.waybill.edge.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Jam detection on a conveyor drive's current or vibration signal: a one-sided CUSUM over robust z-scores against
 * an EWMA baseline.
 *
 * <p>Why CUSUM: a jam is a <i>sustained</i> level shift, and CUSUM is the textbook detector for that (it minimises
 * the worst-case detection delay for a given false-alarm rate), while a plain "z above threshold" rule either fires
 * on every spike or needs an ad-hoc "n samples in a row" rule on top. Clipping each z-score at
 * {@link JamConfig#jamThresholdSigmas()} turns the CUSUM's decision threshold into a sample budget: a jam gains at
 * most {@code clip - k} per sample, so the threshold {@link JamConfig#decisionThreshold()} guarantees detection
 * within {@link JamConfig#maxSamplesToDetect()} samples and immunity to spikes shorter than
 * {@code maxSamplesToDetect - 1} samples, whatever their height. Smaller sustained shifts (a half-blocked belt,
 * 2-3 σ) are still caught, just later. The z-scores are robust: the baseline starts from the warm-up median and
 * σ from the warm-up MAD, both then follow slow load drift by EWMA, fed with samples clipped to baseline ± the jam
 * threshold (a spike moves them by at most {@code alpha x 4 σ}), delayed by {@code maxSamplesToDetect} samples (a
 * jam cannot pull the baseline up before it is flagged) and frozen while a jam is flagged (the jam is not learnt
 * as normal).
 *
 * <p>Deterministic (sample-driven, the timestamps only label events), not thread-safe, one instance per sensor
 * (the first sample binds the sensor id), no I/O. Out-of-order samples are ignored.
 */
public final class ConveyorJamDetector {
    private static final double MAD_TO_SIGMA = 1.4826;
    private static final double MEAN_ABS_TO_SIGMA = Math.sqrt(Math.PI / 2);

    private final JamConfig config;
    private final double threshold;
    private final double[] warmUp;
    private final double[] guard;
    private int guardHead;
    private int guardCount;
    private String sensorId;
    private Instant lastAt;
    private long index = -1;
    private int warmUpCount;
    private boolean warmedUp;
    private double baseline;
    private double scale;
    private double cusum;
    private long runStartIndex;
    private Instant runStartAt;
    private boolean jammed;
    private Instant jamOnsetAt;
    private double jamPeak;
    private int clearRun;
    private Instant clearRunStart;
    private long jams;
    private long outOfOrder;

    public ConveyorJamDetector(JamConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.threshold = config.decisionThreshold();
        this.warmUp = new double[config.warmUpSamples()];
        this.guard = new double[config.maxSamplesToDetect()];
    }

    public ConveyorJamDetector() {
        this(JamConfig.defaults());
    }

    public JamConfig config() {
        return config;
    }

    /**
     * Feeds one sample; returns the events it caused (usually none).
     *
     * @throws IllegalArgumentException if the sample is from another sensor than the first one
     */
    public List<JamEvent> accept(ConveyorReading r) {
        Objects.requireNonNull(r, "reading");
        if (sensorId == null) {
            sensorId = r.sensorId();
        } else if (!sensorId.equals(r.sensorId())) {
            throw new IllegalArgumentException("detector of sensor '" + sensorId + "' got a sample of '"
                    + r.sensorId() + "'");
        }
        if (lastAt != null && !r.at().isAfter(lastAt)) {
            outOfOrder++;
            return List.of();
        }
        lastAt = r.at();
        index++;
        double x = r.value();
        if (!warmedUp) {
            warmUp[warmUpCount++] = x;
            if (warmUpCount == warmUp.length) {
                finishWarmUp();
            }
            return List.of();
        }
        double z = (x - baseline) / scale;
        if (jammed) {
            return whileJammed(r, x, z);
        }
        cusum = Math.max(0.0, cusum + Math.min(z, config.jamThresholdSigmas()) - config.allowanceSigmas());
        if (z <= config.allowanceSigmas()) {
            runStartAt = null;
        } else if (runStartAt == null) {
            runStartIndex = index;
            runStartAt = r.at();
        }
        if (cusum >= threshold) {
            jammed = true;
            jams++;
            jamOnsetAt = runStartAt;
            jamPeak = x;
            clearRun = 0;
            guardCount = 0; // the guarded samples are the jam's first ones: never learn them
            return List.of(new JamDetected(sensorId, r.at(), index, runStartAt, runStartIndex, x, baseline, scale));
        }
        learnDelayed(x);
        return List.of();
    }

    /**
     * Learns from the sample {@code maxSamplesToDetect} samples back, not from this one: the baseline then never
     * contains samples of a jam that is still inside its detection budget, so the budget holds against the
     * baseline as it was at the jam's onset.
     */
    private void learnDelayed(double x) {
        if (guardCount == guard.length) {
            learn(guard[guardHead]);
        } else {
            guardCount++;
        }
        guard[guardHead] = x;
        guardHead = (guardHead + 1) % guard.length;
    }

    private List<JamEvent> whileJammed(ConveyorReading r, double x, double z) {
        jamPeak = Math.max(jamPeak, x);
        if (z < config.clearSigmas()) {
            if (clearRun++ == 0) {
                clearRunStart = r.at();
            }
        } else {
            clearRun = 0;
        }
        if (clearRun < config.clearSamples()) {
            return List.of();
        }
        jammed = false;
        cusum = 0.0;
        clearRun = 0;
        guardCount = 0;
        guardHead = 0;
        return List.of(new JamCleared(sensorId, r.at(), jamOnsetAt, clearRunStart,
                Duration.between(jamOnsetAt, clearRunStart), jamPeak));
    }

    private void finishWarmUp() {
        double[] sorted = warmUp.clone();
        Arrays.sort(sorted);
        baseline = median(sorted);
        double[] dev = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            dev[i] = Math.abs(sorted[i] - baseline);
        }
        Arrays.sort(dev);
        scale = Math.max(config.minScale(), MAD_TO_SIGMA * median(dev));
        warmedUp = true;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** EWMA update of baseline and σ with the sample winsorised to baseline ± jamThreshold σ. */
    private void learn(double x) {
        double bound = config.jamThresholdSigmas() * scale;
        double w = Math.max(baseline - bound, Math.min(baseline + bound, x));
        double absDev = Math.abs(w - baseline);
        baseline += config.baselineAlpha() * (w - baseline);
        scale = Math.max(config.minScale(),
                scale + config.scaleAlpha() * (MEAN_ABS_TO_SIGMA * absDev - scale));
    }

    public boolean isWarmedUp() {
        return warmedUp;
    }

    public boolean isJammed() {
        return jammed;
    }

    /** The current baseline, signal units (NaN during warm-up). */
    public double baseline() {
        return warmedUp ? baseline : Double.NaN;
    }

    /** The current noise σ, signal units (NaN during warm-up). */
    public double scale() {
        return warmedUp ? scale : Double.NaN;
    }

    /** The current CUSUM sum, σ. */
    public double cusum() {
        return cusum;
    }

    /** Samples accepted so far (warm-up included). */
    public long sampleCount() {
        return index + 1;
    }

    public long jamCount() {
        return jams;
    }

    public long rejectedOutOfOrder() {
        return outOfOrder;
    }
}
