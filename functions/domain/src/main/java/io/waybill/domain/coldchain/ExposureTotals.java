package io.waybill.domain.coldchain;

import io.waybill.domain.event.ExposureStatistics;

/**
 * Exactly mergeable exposure sums of one probe (or of any set of disjoint stretches of its time): what running
 * exposure state is made of. Durations are whole milliseconds (exact); the degree-minute and Arrhenius sums are
 * doubles. Sums add and subtract, so a late piece of evidence changes the totals by the difference it makes to its
 * own stretch of time only ({@link ProbeExposure}).
 *
 * @param observedMillis     time the evidence describes (readings' holds, summaries' observed time)
 * @param unknownMillis      time inside the evidence's span no evidence describes (gaps beyond the interpolation limit)
 * @param aboveMillis        observed time strictly above the band
 * @param belowMillis        observed time strictly below the band
 * @param degreeMinutesAbove Σ (celsius − high) × minutes above the band, °C·min
 * @param degreeMinutesBelow Σ (low − celsius) × minutes below the band, °C·min
 * @param arrheniusSum       Σ seconds × exp(−ΔH/R / T): the mean kinetic temperature's numerator, seconds
 * @param readings           readings counted
 */
public record ExposureTotals(long observedMillis, long unknownMillis, long aboveMillis, long belowMillis,
                             double degreeMinutesAbove, double degreeMinutesBelow, double arrheniusSum,
                             long readings) {
    public static final ExposureTotals ZERO = new ExposureTotals(0, 0, 0, 0, 0, 0, 0, 0);
    private static final double MILLIS_PER_MINUTE = 60_000.0;

    public ExposureTotals plus(ExposureTotals o) {
        return new ExposureTotals(observedMillis + o.observedMillis, unknownMillis + o.unknownMillis,
                aboveMillis + o.aboveMillis, belowMillis + o.belowMillis, degreeMinutesAbove + o.degreeMinutesAbove,
                degreeMinutesBelow + o.degreeMinutesBelow, arrheniusSum + o.arrheniusSum, readings + o.readings);
    }

    public ExposureTotals minus(ExposureTotals o) {
        return new ExposureTotals(observedMillis - o.observedMillis, unknownMillis - o.unknownMillis,
                aboveMillis - o.aboveMillis, belowMillis - o.belowMillis, degreeMinutesAbove - o.degreeMinutesAbove,
                degreeMinutesBelow - o.degreeMinutesBelow, arrheniusSum - o.arrheniusSum, readings - o.readings);
    }

    /** {@code millis} of time held at {@code celsius}, measured against {@code band}. */
    public static ExposureTotals hold(double celsius, long millis, TemperatureBand band) {
        if (millis <= 0) {
            return ZERO;
        }
        double arrhenius = millis / 1000.0 * Math.exp(-ExposureCalculator.ACTIVATION_ENERGY_OVER_GAS_CONSTANT
                / (celsius + ExposureCalculator.KELVIN_OFFSET));
        if (band.isAbove(celsius)) {
            return new ExposureTotals(millis, 0, millis, 0, (celsius - band.highCelsius()) * millis / MILLIS_PER_MINUTE,
                    0, arrhenius, 0);
        }
        if (band.isBelow(celsius)) {
            return new ExposureTotals(millis, 0, 0, millis, 0, (band.lowCelsius() - celsius) * millis / MILLIS_PER_MINUTE,
                    arrhenius, 0);
        }
        return new ExposureTotals(millis, 0, 0, 0, 0, 0, arrhenius, 0);
    }

    /** {@code millis} of time nobody observed. */
    public static ExposureTotals unknown(long millis) {
        return millis <= 0 ? ZERO : new ExposureTotals(0, millis, 0, 0, 0, 0, 0, 0);
    }

    /** {@code n} readings, no time. */
    public static ExposureTotals readings(long n) {
        return new ExposureTotals(0, 0, 0, 0, 0, 0, 0, n);
    }

    /**
     * A summary's statistics measured against {@code band}. When the summary was measured against the same band its
     * band times and degree-minutes are used as they are. Otherwise they cannot be converted exactly, and the
     * conservative bound is taken: no time out of range when every reading was inside {@code band} (min and max),
     * else the whole observed time out of range on the side the extreme crossed, at the extreme's distance.
     */
    public static ExposureTotals of(ExposureStatistics s, TemperatureBand band, double min, double max, int readings) {
        double low = s.bandLowCelsius() == null ? Double.NEGATIVE_INFINITY : s.bandLowCelsius();
        double high = s.bandHighCelsius() == null ? Double.POSITIVE_INFINITY : s.bandHighCelsius();
        if (low == band.lowCelsius() && high == band.highCelsius()) {
            return new ExposureTotals(s.observedMillis(), s.unknownMillis(), s.aboveMillis(), s.belowMillis(),
                    s.degreeMinutesAbove(), s.degreeMinutesBelow(), s.arrheniusSum(), readings);
        }
        long observed = s.observedMillis();
        if (band.isAbove(max)) {
            return new ExposureTotals(observed, s.unknownMillis(), observed, 0,
                    (max - band.highCelsius()) * observed / MILLIS_PER_MINUTE, 0, s.arrheniusSum(), readings);
        }
        if (band.isBelow(min)) {
            return new ExposureTotals(observed, s.unknownMillis(), 0, observed, 0,
                    (band.lowCelsius() - min) * observed / MILLIS_PER_MINUTE, s.arrheniusSum(), readings);
        }
        return new ExposureTotals(observed, s.unknownMillis(), 0, 0, 0, 0, s.arrheniusSum(), readings);
    }
}
