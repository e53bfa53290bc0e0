package io.waybill.domain.coldchain;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Computes {@link ExposureFigures} for one {@link TemperatureBand}. Stateless and thread-safe.
 *
 * <p>The readings are first made into an {@link ExposureSeries} (sorted by time, one reading per time — the highest
 * — each reading weighted by the time until the next one, the last weighted zero). Then, in time order:
 * <ul>
 *   <li><b>time out of range</b> = Σ weight of readings strictly outside the band (a reading equal to a bound is in
 *       range); kept exact as a {@link Duration};</li>
 *   <li><b>degree-minutes above</b> = Σ (celsius − high) × weight/min over readings above the band; <b>below</b> =
 *       Σ (low − celsius) × weight/min over readings below it;</li>
 *   <li><b>mean kinetic temperature</b>, duration-weighted, with ΔH/R = {@value #ACTIVATION_ENERGY_OVER_GAS_CONSTANT}
 *       K exactly (ΔH = 83.144 kJ/mol, R = 8.3144 J/(mol·K)) and T = celsius + {@value #KELVIN_OFFSET}:
 *       <pre>MKT[K] = (ΔH/R) / −ln( Σ wᵢ·exp(−(ΔH/R)/Tᵢ) / Σ wᵢ ),   MKT[°C] = MKT[K] − 273.15</pre>
 *       The largest exponent is factored out of the sum and the sums are compensated ({@link CompensatedSum}), so
 *       long series stay accurate. Absent when Σ wᵢ = 0 (fewer than two readings).</li>
 * </ul>
 * Fewer than two readings is not an error: every duration and degree-minute figure is zero and MKT is absent.
 */
public final class ExposureCalculator {
    /** ΔH/R for the mean kinetic temperature, kelvin: 83.144 kJ/mol ÷ 8.3144 J/(mol·K). */
    public static final double ACTIVATION_ENERGY_OVER_GAS_CONSTANT = 10_000.0;
    /** 0 °C in kelvin. */
    public static final double KELVIN_OFFSET = 273.15;

    private static final double SECONDS_PER_MINUTE = 60.0;

    private final TemperatureBand band;

    private ExposureCalculator(TemperatureBand band) {
        this.band = Objects.requireNonNull(band, "band");
    }

    /** A calculator measuring against {@code band}. */
    public static ExposureCalculator forBand(TemperatureBand band) {
        return new ExposureCalculator(band);
    }

    /** The band figures are measured against. */
    public TemperatureBand band() {
        return band;
    }

    /** Figures for readings in any order, duplicates allowed; see the class comment for the rules. */
    public ExposureFigures measure(Collection<ExposureReading> readings) {
        return measure(ExposureSeries.of(readings));
    }

    /** Figures for a series; see the class comment for the rules. */
    public ExposureFigures measure(ExposureSeries series) {
        Objects.requireNonNull(series, "series");
        if (series.isEmpty()) {
            return ExposureFigures.none(band);
        }
        List<ExposureReading> readings = series.readings();
        Duration above = Duration.ZERO;
        Duration below = Duration.ZERO;
        CompensatedSum degreeSecondsAbove = new CompensatedSum();
        CompensatedSum degreeSecondsBelow = new CompensatedSum();
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < readings.size(); i++) {
            double celsius = readings.get(i).celsius();
            max = Math.max(max, celsius);
            min = Math.min(min, celsius);
            Duration weight = series.weightOf(i);
            if (weight.isZero()) {
                continue;
            }
            if (band.isAbove(celsius)) {
                above = above.plus(weight);
                degreeSecondsAbove.add((celsius - band.highCelsius()) * ExposureFigures.seconds(weight));
            } else if (band.isBelow(celsius)) {
                below = below.plus(weight);
                degreeSecondsBelow.add((band.lowCelsius() - celsius) * ExposureFigures.seconds(weight));
            }
        }
        return new ExposureFigures(band, readings.size(), series.firstTime(), series.lastTime(),
                series.coveredDuration(), above.plus(below), above, below,
                degreeSecondsAbove.value() / SECONDS_PER_MINUTE, degreeSecondsBelow.value() / SECONDS_PER_MINUTE,
                meanKineticTemperature(series), OptionalDouble.of(max), OptionalDouble.of(min));
    }

    /**
     * The duration-weighted mean kinetic temperature of a series, °C; see the class comment.
     *
     * @return empty when the series covers no time (fewer than two readings)
     */
    public static OptionalDouble meanKineticTemperature(ExposureSeries series) {
        Objects.requireNonNull(series, "series");
        List<ExposureReading> readings = series.readings();
        int weighted = readings.size() - 1; // the closing reading weighs nothing
        if (weighted < 1) {
            return OptionalDouble.empty();
        }
        double[] exponents = new double[weighted];
        double[] weights = new double[weighted];
        double largest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < weighted; i++) {
            exponents[i] = -ACTIVATION_ENERGY_OVER_GAS_CONSTANT / (readings.get(i).celsius() + KELVIN_OFFSET);
            weights[i] = ExposureFigures.seconds(series.weightOf(i));
            largest = Math.max(largest, exponents[i]);
        }
        CompensatedSum scaled = new CompensatedSum();
        CompensatedSum total = new CompensatedSum();
        for (int i = 0; i < weighted; i++) {
            scaled.add(weights[i] * Math.exp(exponents[i] - largest));
            total.add(weights[i]);
        }
        // ln(Σ w·e^a / Σ w) = largest + ln(Σ w·e^(a − largest) / Σ w), with the ratio in (0, 1]
        double lnMean = largest + Math.log(scaled.value() / total.value());
        double kelvin = ACTIVATION_ENERGY_OVER_GAS_CONSTANT / -lnMean;
        return OptionalDouble.of(kelvin - KELVIN_OFFSET);
    }
}
