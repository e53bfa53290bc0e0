package io.waybill.domain.coldchain;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A kind of product with its temperature band and breach policy.
 *
 * <p>The presets are <em>examples</em> of what a user configures — typical figures, not a regulation or a
 * product's labelling; build your own with {@code new ProductClass(name, band, policy)}.
 *
 * @param name   a short stable name, e.g. {@code "vaccines-2-8"}
 * @param band   the band the product is labelled for
 * @param policy when exposure against that band is a breach
 */
public record ProductClass(String name, TemperatureBand band, BreachPolicy policy) {
    /**
     * Refrigerated vaccines, 2–8 °C. Example policy: 60 minutes cumulative out of range allowed (MAJOR beyond it
     * above {@value BreachPolicy#DEFAULT_MAJOR_DEGREE_MINUTES} °C·min), any reading above 25 °C or below 0 °C
     * (freezing) CRITICAL, MKT above 8 °C MAJOR.
     */
    public static final ProductClass VACCINES_2_8 = new ProductClass("vaccines-2-8", TemperatureBand.between(2, 8),
            BreachPolicy.builder().torBudget(Duration.ofMinutes(60)).hardHighCelsius(25).hardLowCelsius(0)
                    .mktLimitCelsius(8).build());

    /**
     * Chilled biologics, 2–8 °C, with a tighter budget than {@link #VACCINES_2_8}. Example policy: 30 minutes
     * cumulative out of range allowed (MAJOR beyond it above {@value BreachPolicy#DEFAULT_MAJOR_DEGREE_MINUTES}
     * °C·min), any reading above 15 °C or below 0 °C CRITICAL, MKT above 8 °C MAJOR. The cold-chain function's default
     * and the demo's: a 40-minute unit failure at 11 °C breaches it, a 40-second door opening does not.
     */
    public static final ProductClass CHILLED_BIOLOGICS_2_8 = new ProductClass("chilled-biologics-2-8",
            TemperatureBand.between(2, 8), BreachPolicy.builder().torBudget(Duration.ofMinutes(30))
            .hardHighCelsius(15).hardLowCelsius(0).mktLimitCelsius(8).build());

    /**
     * Ambient (controlled room temperature) pharmaceuticals, 15–25 °C. Example policy: 24 hours cumulative out of
     * range allowed (MAJOR beyond it above 240 °C·min), any reading above 40 °C or below 0 °C CRITICAL, MKT above
     * 25 °C MAJOR.
     */
    public static final ProductClass AMBIENT_PHARMA_15_25 = new ProductClass("ambient-pharma-15-25",
            TemperatureBand.between(15, 25), BreachPolicy.builder().torBudget(Duration.ofHours(24))
            .majorDegreeMinutes(240).hardHighCelsius(40).hardLowCelsius(0).mktLimitCelsius(25).build());

    /**
     * Frozen goods, at most -18 °C (no lower bound). Example policy: 30 minutes cumulative above -18 °C allowed
     * (MAJOR beyond it above {@value BreachPolicy#DEFAULT_MAJOR_DEGREE_MINUTES} °C·min), any reading above -10 °C
     * CRITICAL (thawing risk); no hard low limit and no MKT limit.
     */
    public static final ProductClass FROZEN = new ProductClass("frozen", TemperatureBand.atMost(-18),
            BreachPolicy.builder().torBudget(Duration.ofMinutes(30)).hardHighCelsius(-10).build());

    public ProductClass {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(policy, "policy");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a product class needs a name");
        }
    }

    /** The presets, in declaration order. */
    public static List<ProductClass> presets() {
        return List.of(VACCINES_2_8, CHILLED_BIOLOGICS_2_8, AMBIENT_PHARMA_15_25, FROZEN);
    }

    /** The preset with this name, case-insensitive. */
    public static Optional<ProductClass> preset(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return presets().stream().filter(p -> p.name().equals(wanted)).findFirst();
    }

    /** This product class with another policy. */
    public ProductClass withPolicy(BreachPolicy other) {
        return new ProductClass(name, band, other);
    }

    /** Measures readings (any order, duplicates allowed) against the band and judges them with the policy. */
    public ExposureAssessment assess(Collection<ExposureReading> readings) {
        return ExposureAssessment.of(band, policy, readings);
    }
}
