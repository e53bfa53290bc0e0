package io.waybill.domain.coldchain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * When exposure figures are a breach, and how severe. Immutable; build with {@link #builder()} or take
 * {@link #defaults()}. {@link ProductClass} carries example policies; the numbers are configured by the user, they
 * are not a regulation.
 *
 * <p>{@link #judge(ExposureFigures)} checks, each giving one {@link BreachReason}:
 * <ul>
 *   <li>{@link BreachCode#HARD_HIGH_LIMIT_EXCEEDED} (CRITICAL): the maximum reading is strictly above
 *       {@link #hardHighCelsius()}, when set;</li>
 *   <li>{@link BreachCode#HARD_LOW_LIMIT_EXCEEDED} (CRITICAL): the minimum reading is strictly below
 *       {@link #hardLowCelsius()}, when set;</li>
 *   <li>{@link BreachCode#TOR_BUDGET_EXCEEDED}: time out of range is strictly longer than {@link #torBudget()};
 *       MAJOR when the degree-minutes out of range (above + below) are strictly more than
 *       {@link #majorDegreeMinutes()}, else MINOR;</li>
 *   <li>{@link BreachCode#DATA_GAP}: only when the time out of range is within the budget, the policy counts unknown
 *       time ({@link #unknownTimeCounts()}) and time out of range plus unknown time is strictly longer than the
 *       budget; MINOR or MAJOR by degree-minutes as above;</li>
 *   <li>{@link BreachCode#MKT_ABOVE_LABEL} (MAJOR): the mean kinetic temperature is strictly above
 *       {@link #mktLimitCelsius()}, when set and when there is an MKT.</li>
 * </ul>
 * A value equal to a limit is never a breach. The verdict's severity is the worst reason's.
 *
 * <pre>{@code
 * BreachPolicy policy = BreachPolicy.builder()
 *         .torBudget(Duration.ofMinutes(60))
 *         .hardHighCelsius(25).hardLowCelsius(0)
 *         .mktLimitCelsius(8)
 *         .build();
 * }</pre>
 */
public final class BreachPolicy {
    /**
     * Default for {@link #torBudget()}: zero, so any time out of range is a breach (MINOR or MAJOR by
     * degree-minutes). The strict choice for a bare band with no product-specific budget.
     */
    public static final Duration DEFAULT_TOR_BUDGET = Duration.ZERO;
    /**
     * Default for {@link #majorDegreeMinutes()}: 60 °C·min, e.g. 2 °C above the band for 30 minutes. Up to it an
     * over-budget excursion is MINOR, beyond it MAJOR.
     */
    public static final double DEFAULT_MAJOR_DEGREE_MINUTES = 60.0;

    /**
     * Default for {@link #maxInterpolationGap()}: 15 minutes, thirty readings of a 30-second logger. A reading holds
     * until the next one for at most this long; the rest of a longer gap is unknown time.
     */
    public static final Duration DEFAULT_MAX_INTERPOLATION_GAP = Duration.ofMinutes(15);
    /** Default for {@link #unknownTimeCounts()}: true, as GDP expects (no evidence is no proof of control). */
    public static final boolean DEFAULT_UNKNOWN_TIME_COUNTS = true;

    private static final BreachPolicy DEFAULTS = builder().build();

    private final Duration torBudget;
    private final double majorDegreeMinutes;
    private final OptionalDouble hardHighCelsius;
    private final OptionalDouble hardLowCelsius;
    private final OptionalDouble mktLimitCelsius;
    private final Duration maxInterpolationGap;
    private final boolean unknownTimeCounts;

    private BreachPolicy(Builder b) {
        this.maxInterpolationGap = b.maxInterpolationGap;
        this.unknownTimeCounts = b.unknownTimeCounts;
        this.torBudget = b.torBudget;
        this.majorDegreeMinutes = b.majorDegreeMinutes;
        this.hardHighCelsius = b.hardHighCelsius;
        this.hardLowCelsius = b.hardLowCelsius;
        this.mktLimitCelsius = b.mktLimitCelsius;
    }

    /**
     * The policy for a bare band: {@link #DEFAULT_TOR_BUDGET} (any time out of range is a breach),
     * {@link #DEFAULT_MAJOR_DEGREE_MINUTES}, no hard limits and no MKT limit.
     */
    public static BreachPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this policy's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.torBudget = torBudget;
        b.majorDegreeMinutes = majorDegreeMinutes;
        b.hardHighCelsius = hardHighCelsius;
        b.hardLowCelsius = hardLowCelsius;
        b.mktLimitCelsius = mktLimitCelsius;
        b.maxInterpolationGap = maxInterpolationGap;
        b.unknownTimeCounts = unknownTimeCounts;
        return b;
    }

    /**
     * The longest one reading is taken to hold until the next one of the same probe; the rest of a longer gap is
     * unknown time ({@link ExposureFigures#unknown()}).
     */
    public Duration maxInterpolationGap() {
        return maxInterpolationGap;
    }

    /**
     * Whether unknown time counts against the budget ({@link BreachCode#DATA_GAP}); when false it is reported but
     * not judged.
     */
    public boolean unknownTimeCounts() {
        return unknownTimeCounts;
    }

    /** The cumulative time out of range allowed (bound included: exactly the budget is not a breach). */
    public Duration torBudget() {
        return torBudget;
    }

    /** The degree-minutes out of range (above + below) up to which an over-budget excursion is MINOR, °C·min. */
    public double majorDegreeMinutes() {
        return majorDegreeMinutes;
    }

    /** Any reading strictly above this is CRITICAL, °C; empty for no hard high limit. */
    public OptionalDouble hardHighCelsius() {
        return hardHighCelsius;
    }

    /** Any reading strictly below this is CRITICAL, °C; empty for no hard low limit. */
    public OptionalDouble hardLowCelsius() {
        return hardLowCelsius;
    }

    /** A mean kinetic temperature strictly above this is MAJOR, °C; empty for no MKT limit. */
    public OptionalDouble mktLimitCelsius() {
        return mktLimitCelsius;
    }

    /** Judges figures; see the class comment. Figures of an empty series are never a breach. */
    public BreachVerdict judge(ExposureFigures f) {
        Objects.requireNonNull(f, "figures");
        List<BreachReason> reasons = new ArrayList<>(BreachCode.values().length);
        if (hardHighCelsius.isPresent() && f.maxCelsius().isPresent()
                && f.maxCelsius().getAsDouble() > hardHighCelsius.getAsDouble()) {
            reasons.add(new BreachReason(BreachCode.HARD_HIGH_LIMIT_EXCEEDED, BreachSeverity.CRITICAL,
                    format("reading of %s °C is above the hard high limit of %s °C",
                            f.maxCelsius().getAsDouble(), hardHighCelsius.getAsDouble())));
        }
        if (hardLowCelsius.isPresent() && f.minCelsius().isPresent()
                && f.minCelsius().getAsDouble() < hardLowCelsius.getAsDouble()) {
            reasons.add(new BreachReason(BreachCode.HARD_LOW_LIMIT_EXCEEDED, BreachSeverity.CRITICAL,
                    format("reading of %s °C is below the hard low limit of %s °C",
                            f.minCelsius().getAsDouble(), hardLowCelsius.getAsDouble())));
        }
        if (f.timeOutOfRange().compareTo(torBudget) > 0) {
            double degreeMinutes = f.degreeMinutesOutOfRange();
            BreachSeverity severity = degreeMinutes > majorDegreeMinutes ? BreachSeverity.MAJOR : BreachSeverity.MINOR;
            reasons.add(new BreachReason(BreachCode.TOR_BUDGET_EXCEEDED, severity,
                    format("%s out of %s exceeds the budget of %s (%.2f °C·min out of range, MAJOR above %s)",
                            describe(f.timeOutOfRange()), f.band(), describe(torBudget), degreeMinutes,
                            majorDegreeMinutes)));
        } else if (unknownTimeCounts && f.timeOutOfRange().plus(f.unknown()).compareTo(torBudget) > 0) {
            double degreeMinutes = f.degreeMinutesOutOfRange();
            BreachSeverity severity = degreeMinutes > majorDegreeMinutes ? BreachSeverity.MAJOR : BreachSeverity.MINOR;
            reasons.add(new BreachReason(BreachCode.DATA_GAP, severity,
                    format("%s out of %s and %s without evidence exceed the budget of %s",
                            describe(f.timeOutOfRange()), f.band(), describe(f.unknown()), describe(torBudget))));
        }
        if (mktLimitCelsius.isPresent() && f.mktCelsius().isPresent()
                && f.mktCelsius().getAsDouble() > mktLimitCelsius.getAsDouble()) {
            reasons.add(new BreachReason(BreachCode.MKT_ABOVE_LABEL, BreachSeverity.MAJOR,
                    format("mean kinetic temperature %.3f °C is above the label limit of %s °C",
                            f.mktCelsius().getAsDouble(), mktLimitCelsius.getAsDouble())));
        }
        return BreachVerdict.of(reasons);
    }

    /** E.g. {@code "40 s"}, {@code "65 min"}, {@code "6 h 10 min"}, {@code "1 min 30.5 s"}. */
    static String describe(Duration d) {
        if (d.isZero()) {
            return "0 s";
        }
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        double seconds = d.toSecondsPart() + d.toNanosPart() / 1e9;
        StringBuilder s = new StringBuilder();
        if (hours > 0) {
            s.append(hours).append(" h");
        }
        if (minutes > 0) {
            s.append(s.length() > 0 ? " " : "").append(minutes).append(" min");
        }
        if (seconds > 0) {
            String secondsText = d.toNanosPart() == 0 ? String.valueOf(d.toSecondsPart())
                    : String.format(Locale.ROOT, "%.3f", seconds).replaceAll("0+$", "");
            s.append(s.length() > 0 ? " " : "").append(secondsText).append(" s");
        }
        return s.toString();
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BreachPolicy that && torBudget.equals(that.torBudget)
                && Double.compare(majorDegreeMinutes, that.majorDegreeMinutes) == 0
                && hardHighCelsius.equals(that.hardHighCelsius) && hardLowCelsius.equals(that.hardLowCelsius)
                && mktLimitCelsius.equals(that.mktLimitCelsius)
                && maxInterpolationGap.equals(that.maxInterpolationGap) && unknownTimeCounts == that.unknownTimeCounts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(torBudget, majorDegreeMinutes, hardHighCelsius, hardLowCelsius, mktLimitCelsius,
                maxInterpolationGap, unknownTimeCounts);
    }

    /** One line for people: e.g. "TOR budget 30 min, MAJOR above 60 °C·min, above 15 °C CRITICAL, MKT limit 8 °C". */
    public String summary() {
        StringBuilder b = new StringBuilder("TOR budget ").append(torBudget().toMinutes()).append(" min, MAJOR above ")
                .append(fmt(majorDegreeMinutes())).append(" °C·min");
        hardHighCelsius().ifPresent(v -> b.append(", above ").append(fmt(v)).append(" °C CRITICAL"));
        hardLowCelsius().ifPresent(v -> b.append(", below ").append(fmt(v)).append(" °C CRITICAL"));
        mktLimitCelsius().ifPresent(v -> b.append(", MKT above ").append(fmt(v)).append(" °C MAJOR"));
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Override
    public String toString() {
        return "BreachPolicy{torBudget=" + torBudget + ", majorDegreeMinutes=" + majorDegreeMinutes
                + ", hardHighCelsius=" + hardHighCelsius + ", hardLowCelsius=" + hardLowCelsius
                + ", mktLimitCelsius=" + mktLimitCelsius + ", maxInterpolationGap=" + maxInterpolationGap
                + ", unknownTimeCounts=" + unknownTimeCounts + '}';
    }

    /** Builds a {@link BreachPolicy}; unset values keep their defaults (no hard limits, no MKT limit). */
    public static final class Builder {
        private Duration torBudget = DEFAULT_TOR_BUDGET;
        private double majorDegreeMinutes = DEFAULT_MAJOR_DEGREE_MINUTES;
        private OptionalDouble hardHighCelsius = OptionalDouble.empty();
        private OptionalDouble hardLowCelsius = OptionalDouble.empty();
        private OptionalDouble mktLimitCelsius = OptionalDouble.empty();
        private Duration maxInterpolationGap = DEFAULT_MAX_INTERPOLATION_GAP;
        private boolean unknownTimeCounts = DEFAULT_UNKNOWN_TIME_COUNTS;

        private Builder() {
        }

        /** See {@link BreachPolicy#maxInterpolationGap()}; positive. */
        public Builder maxInterpolationGap(Duration gap) {
            Objects.requireNonNull(gap, "maxInterpolationGap");
            if (gap.isNegative() || gap.isZero()) {
                throw new IllegalArgumentException("maxInterpolationGap must be positive, was " + gap);
            }
            this.maxInterpolationGap = gap;
            return this;
        }

        /** See {@link BreachPolicy#unknownTimeCounts()}. */
        public Builder unknownTimeCounts(boolean counts) {
            this.unknownTimeCounts = counts;
            return this;
        }

        /** See {@link BreachPolicy#torBudget()}; must not be null or negative. */
        public Builder torBudget(Duration torBudget) {
            Objects.requireNonNull(torBudget, "torBudget");
            if (torBudget.isNegative()) {
                throw new IllegalArgumentException("torBudget must not be negative, was " + torBudget);
            }
            this.torBudget = torBudget;
            return this;
        }

        /** See {@link BreachPolicy#majorDegreeMinutes()}; finite and not negative. */
        public Builder majorDegreeMinutes(double majorDegreeMinutes) {
            if (!Double.isFinite(majorDegreeMinutes) || majorDegreeMinutes < 0) {
                throw new IllegalArgumentException(
                        "majorDegreeMinutes must be finite and not negative, was " + majorDegreeMinutes);
            }
            this.majorDegreeMinutes = majorDegreeMinutes;
            return this;
        }

        /** See {@link BreachPolicy#hardHighCelsius()}; finite. */
        public Builder hardHighCelsius(double celsius) {
            this.hardHighCelsius = OptionalDouble.of(requireFinite(celsius, "hardHighCelsius"));
            return this;
        }

        /** Removes the hard high limit. */
        public Builder noHardHigh() {
            this.hardHighCelsius = OptionalDouble.empty();
            return this;
        }

        /** See {@link BreachPolicy#hardLowCelsius()}; finite. */
        public Builder hardLowCelsius(double celsius) {
            this.hardLowCelsius = OptionalDouble.of(requireFinite(celsius, "hardLowCelsius"));
            return this;
        }

        /** Removes the hard low limit. */
        public Builder noHardLow() {
            this.hardLowCelsius = OptionalDouble.empty();
            return this;
        }

        /** See {@link BreachPolicy#mktLimitCelsius()}; finite. */
        public Builder mktLimitCelsius(double celsius) {
            this.mktLimitCelsius = OptionalDouble.of(requireFinite(celsius, "mktLimitCelsius"));
            return this;
        }

        /** Removes the MKT limit. */
        public Builder noMktLimit() {
            this.mktLimitCelsius = OptionalDouble.empty();
            return this;
        }

        /**
         * @throws IllegalArgumentException when the hard low limit is above the hard high limit
         */
        public BreachPolicy build() {
            if (hardLowCelsius.isPresent() && hardHighCelsius.isPresent()
                    && hardLowCelsius.getAsDouble() > hardHighCelsius.getAsDouble()) {
                throw new IllegalArgumentException("hard low limit " + hardLowCelsius.getAsDouble()
                        + " °C is above hard high limit " + hardHighCelsius.getAsDouble() + " °C");
            }
            return new BreachPolicy(this);
        }

        private static double requireFinite(double value, String name) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(name + " must be finite, was " + value);
            }
            return value == 0.0 ? 0.0 : value; // one zero, so equal policies are equal
        }
    }
}
