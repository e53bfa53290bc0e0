package io.waybill.edge.model;

import java.time.Duration;

/**
 * Tuning of the {@link WindowSummarizer}. Immutable; build with {@link #builder()} (every field starts at its
 * documented {@code DEFAULT_*} constant) or take {@link #defaults()}.
 *
 * @param window           length of a tumbling window; windows are aligned to the epoch, so the length must divide
 *                         a day (5 min windows start at :00, :05, ... UTC)
 * @param maxSampleGap     the longest interval one reading is assumed to hold for (its exposure); the rest of a
 *                         longer gap is unknown time. Whole seconds, at least 1 s: the summaries carry it as the
 *                         exposure's {@code maxGapSeconds}
 * @param reportedDecimals decimals of the mean in the emitted {@code TemperatureObserved} (min and max are readings
 *                         and are reported as read)
 */
public record WindowConfig(Duration window, Duration maxSampleGap, int reportedDecimals) {

    /** 5 minutes. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    /** 2 minutes, as {@link ExcursionConfig#DEFAULT_MAX_SAMPLE_GAP}. */
    public static final Duration DEFAULT_MAX_SAMPLE_GAP = ExcursionConfig.DEFAULT_MAX_SAMPLE_GAP;
    /** 2 decimals (0.01 °C): finer than any cold-chain probe's accuracy. */
    public static final int DEFAULT_REPORTED_DECIMALS = 2;

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    public WindowConfig {
        Configs.positive("window", window);
        if (window.toMillis() < 1000 || DAY_MILLIS % window.toMillis() != 0) {
            throw new IllegalArgumentException("window must be at least 1 s and divide a day, was " + window);
        }
        Configs.positive("maxSampleGap", maxSampleGap);
        if (maxSampleGap.toSeconds() < 1 || maxSampleGap.toNanosPart() != 0) {
            throw new IllegalArgumentException("maxSampleGap must be whole seconds, at least 1 s, was " + maxSampleGap);
        }
        if (reportedDecimals < 0 || reportedDecimals > 6) {
            throw new IllegalArgumentException("reportedDecimals must be 0..6, was " + reportedDecimals);
        }
    }

    public static WindowConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().window(window).maxSampleGap(maxSampleGap).reportedDecimals(reportedDecimals);
    }

    public static final class Builder {
        private Duration window = DEFAULT_WINDOW;
        private Duration maxSampleGap = DEFAULT_MAX_SAMPLE_GAP;
        private int reportedDecimals = DEFAULT_REPORTED_DECIMALS;

        private Builder() {
        }

        public Builder window(Duration v) {
            this.window = v;
            return this;
        }

        public Builder maxSampleGap(Duration v) {
            this.maxSampleGap = v;
            return this;
        }

        public Builder reportedDecimals(int v) {
            this.reportedDecimals = v;
            return this;
        }

        public WindowConfig build() {
            return new WindowConfig(window, maxSampleGap, reportedDecimals);
        }
    }
}
