package io.waybill.domain.kpi;

import java.util.OptionalDouble;

/**
 * On-time tally of departures or arrivals. "Unplanned" ones (nothing to judge them against) are neither on time nor
 * late and stay out of the percentage.
 *
 * @param onTime    at or before the planned time + tolerance
 * @param late      after the planned time + tolerance
 * @param unplanned no plan applies
 */
public record OnTime(int onTime, int late, int unplanned) {
    public static final OnTime NONE = new OnTime(0, 0, 0);

    /** {@code onTime + late}. */
    public int judged() {
        return onTime + late;
    }

    /** {@code 100 × onTime / (onTime + late)}; empty when nothing was judged. */
    public OptionalDouble percent() {
        return judged() == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * onTime / judged());
    }

    OnTime plus(Verdict v) {
        switch (v) {
            case ON_TIME:
                return new OnTime(onTime + 1, late, unplanned);
            case LATE:
                return new OnTime(onTime, late + 1, unplanned);
            default:
                return new OnTime(onTime, late, unplanned + 1);
        }
    }

    /** The judgement of one departure or arrival. */
    enum Verdict { ON_TIME, LATE, UNPLANNED }
}
