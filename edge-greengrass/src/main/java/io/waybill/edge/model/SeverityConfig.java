package io.waybill.edge.model;

import java.time.Duration;

/**
 * Tuning of the {@link SeverityScorer}. Immutable; build with {@link #builder()} (every field starts at its
 * documented {@code DEFAULT_*} constant) or take {@link #defaults()}.
 *
 * @param durationHalf          the excursion duration that scores half of the duration term
 * @param magnitudeHalfCelsius  the peak distance beyond the limit that scores half of the magnitude term, °C
 * @param degreeMinutesHalf     the degree-minutes that score half of the exposure term, °C x min
 * @param durationWeight        weight of the duration term
 * @param magnitudeWeight       weight of the magnitude term
 * @param degreeMinutesWeight   weight of the exposure term; the three weights sum to 1
 * @param warningFrom           lowest score that is a {@link SeverityLevel#WARNING}
 * @param criticalFrom          lowest score that is {@link SeverityLevel#CRITICAL}
 */
public record SeverityConfig(Duration durationHalf, double magnitudeHalfCelsius, double degreeMinutesHalf,
                             double durationWeight, double magnitudeWeight, double degreeMinutesWeight,
                             int warningFrom, int criticalFrom) {

    /** 30 minutes. */
    public static final Duration DEFAULT_DURATION_HALF = Duration.ofMinutes(30);
    /** 2 °C. */
    public static final double DEFAULT_MAGNITUDE_HALF_CELSIUS = 2.0;
    /** 60 °C x min (e.g. 2 °C above the limit for 30 minutes). */
    public static final double DEFAULT_DEGREE_MINUTES_HALF = 60.0;
    /** 0.25. */
    public static final double DEFAULT_DURATION_WEIGHT = 0.25;
    /** 0.25. */
    public static final double DEFAULT_MAGNITUDE_WEIGHT = 0.25;
    /** 0.5: thermal exposure (time x temperature) is what degrades product, so it weighs most. */
    public static final double DEFAULT_DEGREE_MINUTES_WEIGHT = 0.5;
    /** 20. */
    public static final int DEFAULT_WARNING_FROM = 20;
    /** 60. */
    public static final int DEFAULT_CRITICAL_FROM = 60;

    public SeverityConfig {
        Configs.positive("durationHalf", durationHalf);
        Configs.positive("magnitudeHalfCelsius", magnitudeHalfCelsius);
        Configs.positive("degreeMinutesHalf", degreeMinutesHalf);
        Configs.nonNegative("durationWeight", durationWeight);
        Configs.nonNegative("magnitudeWeight", magnitudeWeight);
        Configs.nonNegative("degreeMinutesWeight", degreeMinutesWeight);
        double sum = durationWeight + magnitudeWeight + degreeMinutesWeight;
        if (Math.abs(sum - 1.0) > 1e-9) {
            throw new IllegalArgumentException("weights must sum to 1, sum to " + sum);
        }
        if (!(0 < warningFrom && warningFrom < criticalFrom && criticalFrom <= 100)) {
            throw new IllegalArgumentException("need 0 < warningFrom < criticalFrom <= 100, got " + warningFrom
                    + " and " + criticalFrom);
        }
    }

    public static SeverityConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().durationHalf(durationHalf).magnitudeHalfCelsius(magnitudeHalfCelsius)
                .degreeMinutesHalf(degreeMinutesHalf)
                .weights(durationWeight, magnitudeWeight, degreeMinutesWeight)
                .warningFrom(warningFrom).criticalFrom(criticalFrom);
    }

    public static final class Builder {
        private Duration durationHalf = DEFAULT_DURATION_HALF;
        private double magnitudeHalfCelsius = DEFAULT_MAGNITUDE_HALF_CELSIUS;
        private double degreeMinutesHalf = DEFAULT_DEGREE_MINUTES_HALF;
        private double durationWeight = DEFAULT_DURATION_WEIGHT;
        private double magnitudeWeight = DEFAULT_MAGNITUDE_WEIGHT;
        private double degreeMinutesWeight = DEFAULT_DEGREE_MINUTES_WEIGHT;
        private int warningFrom = DEFAULT_WARNING_FROM;
        private int criticalFrom = DEFAULT_CRITICAL_FROM;

        private Builder() {
        }

        public Builder durationHalf(Duration v) {
            this.durationHalf = v;
            return this;
        }

        public Builder magnitudeHalfCelsius(double v) {
            this.magnitudeHalfCelsius = v;
            return this;
        }

        public Builder degreeMinutesHalf(double v) {
            this.degreeMinutesHalf = v;
            return this;
        }

        /** The three weights at once (they must sum to 1). */
        public Builder weights(double duration, double magnitude, double degreeMinutes) {
            this.durationWeight = duration;
            this.magnitudeWeight = magnitude;
            this.degreeMinutesWeight = degreeMinutes;
            return this;
        }

        public Builder warningFrom(int v) {
            this.warningFrom = v;
            return this;
        }

        public Builder criticalFrom(int v) {
            this.criticalFrom = v;
            return this;
        }

        public SeverityConfig build() {
            return new SeverityConfig(durationHalf, magnitudeHalfCelsius, degreeMinutesHalf, durationWeight,
                    magnitudeWeight, degreeMinutesWeight, warningFrom, criticalFrom);
        }
    }
}
