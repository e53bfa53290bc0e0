package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.SortedMap;

/**
 * What the endpoint returned for one series.
 *
 * @param key       the series
 * @param firstDay  the first day forecast (the history's next day)
 * @param mean      mean units per day, one per day of the horizon
 * @param quantiles level (e.g. 0.9) to units per day
 * @param samples   sample paths (rows of horizon length), empty when none were asked for
 * @param method    the model the endpoint chose for this series (e.g. "ETS(A,N,A)"), or null if it did not say
 */
public record DemandForecast(SeriesKey key, LocalDate firstDay, double[] mean, SortedMap<Double, double[]> quantiles,
                             double[][] samples, String method) {
}
