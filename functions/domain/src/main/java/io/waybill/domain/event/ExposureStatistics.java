package io.waybill.domain.event;

/**
 * Exactly mergeable exposure statistics of one probe over one summary (the optional {@code exposure} object of
 * {@code waybill.temperature.observed.v1}): what lets the cloud compute time out of range, degree-minutes and the
 * mean kinetic temperature over any union of summaries exactly as it would over the raw readings.
 *
 * <p><b>Holds.</b> Each reading holds its value from its time until the next reading of the same probe, for at most
 * {@code maxGapSeconds}; the rest of a longer gap is unknown. A reading's hold (and the unknown rest of its gap) is
 * counted in the summary that contains the reading, even when it reaches past the summary's last reading, so the
 * statistics of consecutive summaries add up to those of the whole trip, with nothing split or counted twice. The
 * last reading before a summary is emitted without a successor (end of trip, component restart) holds nothing. The
 * statistics cover {@code [windowStart, windowStart + observedMillis + unknownMillis)}.
 *
 * <p>Sums add: for a union of summaries add every field but the band and the gap limit; MKT over the union is
 * {@code 10000 / -ln(Σ arrheniusSum / Σ observedSeconds) - 273.15} (ΔH/R = 10,000 K, T in kelvin).
 *
 * @param bandLowCelsius     the low bound the band times were measured against, °C; null for a band without one
 * @param bandHighCelsius    the high bound, °C; null for a band without one
 * @param maxGapSeconds      the longest a reading holds (the interpolation limit the edge used), whole seconds
 * @param observedMillis     Σ holds: the time the readings describe, milliseconds
 * @param unknownMillis      Σ (gap − limit) over gaps longer than the limit: time nobody observed, milliseconds
 * @param aboveMillis        Σ holds of readings strictly above the high bound, milliseconds
 * @param belowMillis        Σ holds of readings strictly below the low bound, milliseconds
 * @param degreeMinutesAbove Σ (celsius − high) × hold in minutes over readings above the band, °C·min
 * @param degreeMinutesBelow Σ (low − celsius) × hold in minutes over readings below the band, °C·min
 * @param arrheniusSum       Σ hold in seconds × exp(−10000 / (celsius + 273.15)): the MKT numerator, seconds
 */
public record ExposureStatistics(Double bandLowCelsius, Double bandHighCelsius, long maxGapSeconds,
                                 long observedMillis, long unknownMillis, long aboveMillis, long belowMillis,
                                 double degreeMinutesAbove, double degreeMinutesBelow, double arrheniusSum) {
    public ExposureStatistics {
        if (bandLowCelsius == null && bandHighCelsius == null) {
            throw new IllegalArgumentException("exposure statistics need at least one band bound");
        }
        if (maxGapSeconds < 1 || observedMillis < 0 || unknownMillis < 0 || aboveMillis < 0 || belowMillis < 0) {
            throw new IllegalArgumentException("exposure statistics: durations must not be negative "
                    + "and the gap limit must be at least 1 s");
        }
        if (aboveMillis + belowMillis > observedMillis) {
            throw new IllegalArgumentException("exposure statistics: time above and below the band ("
                    + aboveMillis + " + " + belowMillis + " ms) exceed the observed time (" + observedMillis + " ms)");
        }
        if (!(degreeMinutesAbove >= 0) || !(degreeMinutesBelow >= 0) || !(arrheniusSum >= 0)
                || Double.isInfinite(degreeMinutesAbove) || Double.isInfinite(degreeMinutesBelow)
                || Double.isInfinite(arrheniusSum)) {
            throw new IllegalArgumentException("exposure statistics: sums must be finite and not negative");
        }
    }

    /** The covered time, milliseconds: observed plus unknown. */
    public long spanMillis() {
        return observedMillis + unknownMillis;
    }
}
