package io.waybill.edge.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The edge's severity score of an excursion, 0-100, and its {@link SeverityLevel}. "Detect locally, decide
 * centrally": the edge attaches this score to each alert; the cloud decides what happens (it knows the product,
 * the customer's SOP and the other shipments).
 *
 * <p>The formula (all terms saturate smoothly with {@code s(x, half) = x / (x + half)}, which is 0 at 0, 0.5 at
 * {@code half}, tends to 1 and is strictly increasing, so a worse excursion never scores lower):
 *
 * <pre>
 *   raw   = wD x s(duration minutes, durationHalf) + wM x s(|peak - limit| °C, magnitudeHalf)
 *         + wE x s(degree-minutes, degreeMinutesHalf)                        (0 .. 1, weights sum to 1)
 *   score = min(100, round(100 x raw x sensitivity factor))                   (LOW 0.6, STANDARD 1.0, HIGH 1.5)
 *   level = CRITICAL if score >= criticalFrom, WARNING if score >= warningFrom, else INFO
 * </pre>
 *
 * With the defaults (halves 30 min, 2 °C, 60 °C x min; weights 0.25/0.25/0.5; WARNING from 20, CRITICAL from 60)
 * a chilled reefer at ~10 °C for 40 minutes (peak 11 °C, so 3 °C beyond the limit, 80 °C x min) scores 58, WARNING,
 * and 87, CRITICAL, for a
 * {@link ProductSensitivity#HIGH HIGH}-sensitivity product. Pure function; thread-safe.
 */
public final class SeverityScorer {
    private final SeverityConfig config;

    public SeverityScorer(SeverityConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public static SeverityScorer defaults() {
        return new SeverityScorer(SeverityConfig.defaults());
    }

    public SeverityConfig config() {
        return config;
    }

    /** The severity of an excursion (open or ended) of a product of the given sensitivity. */
    public Severity score(Excursion excursion, ProductSensitivity sensitivity) {
        return score(excursion.duration(), excursion.magnitudeCelsius(), excursion.degreeMinutes(), sensitivity);
    }

    /**
     * @param duration         time outside the band
     * @param magnitudeCelsius how far the peak went beyond the limit, °C (>= 0)
     * @param degreeMinutes    area beyond the limit, °C x min (>= 0)
     * @param sensitivity      the product's sensitivity
     */
    public Severity score(Duration duration, double magnitudeCelsius, double degreeMinutes,
                          ProductSensitivity sensitivity) {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(sensitivity, "sensitivity");
        Configs.nonNegative("magnitudeCelsius", magnitudeCelsius);
        Configs.nonNegative("degreeMinutes", degreeMinutes);
        double minutes = Math.max(0, duration.toMillis()) / 60_000.0;
        double raw = config.durationWeight() * saturate(minutes, config.durationHalf().toMillis() / 60_000.0)
                + config.magnitudeWeight() * saturate(magnitudeCelsius, config.magnitudeHalfCelsius())
                + config.degreeMinutesWeight() * saturate(degreeMinutes, config.degreeMinutesHalf());
        int score = (int) Math.min(100, Math.round(100.0 * raw * sensitivity.severityFactor()));
        return new Severity(score, level(score));
    }

    /** The level of a score under this config. */
    public SeverityLevel level(int score) {
        if (score >= config.criticalFrom()) {
            return SeverityLevel.CRITICAL;
        }
        return score >= config.warningFrom() ? SeverityLevel.WARNING : SeverityLevel.INFO;
    }

    private static double saturate(double x, double half) {
        return x / (x + half);
    }
}
