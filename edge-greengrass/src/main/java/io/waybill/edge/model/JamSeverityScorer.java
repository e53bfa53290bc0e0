package io.waybill.edge.model;

/**
 * The edge's severity score of a conveyor jam, 0..100: deterministic and documented like {@link SeverityScorer}, and
 * built the same way from terms that saturate smoothly, s(x, half) = x / (x + half):
 *
 * <pre>
 *   raw   = 0.5 · s(max(0, z), 8) + 0.2 · 1 / samplesToDetect + 0.3 · s(duration s, 60)
 *   score = min(100, round(100 · raw))
 * </pre>
 *
 * <ul>
 *   <li><b>Height</b> (z-score of the alarming sample, or of the peak when cleared) weighs most: how hard the drive
 *       works against the blockage. A 4 σ jam gives 0.17, 8 σ 0.25, 24 σ 0.38.</li>
 *   <li><b>Abruptness</b>: a jam flagged on its first sample (a hard stop) gives the full 0.2, one that took the
 *       whole default budget of 5 samples 0.04.</li>
 *   <li><b>Duration</b> counts only once the jam has cleared (a DETECTED alert has none yet): 60 s gives 0.15,
 *       5 min 0.25.</li>
 * </ul>
 * So a score never decreases with a higher z-score or a longer jam, and a CLEARED alert of a jam scores at least
 * as high as its DETECTED alert when its peak is at least the alarming sample (it always is). On the golden
 * conveyor shift the DETECTED alert scores 42 (26.5 σ, 6 samples from the estimated onset) and the CLEARED alert 61
 * (peak 31.9 σ, 91 s).
 */
public final class JamSeverityScorer {
    /** z-score at which the height term is half saturated: 8 σ. */
    public static final double Z_HALF = 8.0;
    /** Duration at which the duration term is half saturated: 60 s. */
    public static final double DURATION_HALF_SECONDS = 60.0;
    public static final double HEIGHT_WEIGHT = 0.5;
    public static final double ABRUPTNESS_WEIGHT = 0.2;
    public static final double DURATION_WEIGHT = 0.3;

    private JamSeverityScorer() {
    }

    /**
     * @param zScore          how many σ above the baseline (negative counts as 0)
     * @param samplesToDetect samples from onset to alarm, ≥ 1
     * @param durationSeconds the jam's duration, 0 while it lasts
     * @return the score 0..100
     */
    public static int score(double zScore, long samplesToDetect, long durationSeconds) {
        if (samplesToDetect < 1) {
            throw new IllegalArgumentException("samplesToDetect must be >= 1, was " + samplesToDetect);
        }
        if (durationSeconds < 0 || !Double.isFinite(zScore)) {
            throw new IllegalArgumentException("durationSeconds must be >= 0 and zScore finite");
        }
        double raw = HEIGHT_WEIGHT * s(Math.max(0.0, zScore), Z_HALF)
                + ABRUPTNESS_WEIGHT / samplesToDetect
                + DURATION_WEIGHT * s(durationSeconds, DURATION_HALF_SECONDS);
        return (int) Math.min(100, Math.round(100 * raw));
    }

    private static double s(double x, double half) {
        return x / (x + half);
    }
}
