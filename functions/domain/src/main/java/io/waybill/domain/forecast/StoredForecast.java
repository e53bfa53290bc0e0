package io.waybill.domain.forecast;

import java.time.Instant;
import java.time.LocalDate;
import java.util.SortedMap;

/**
 * A forecast as stored: one per series and first day (a rerun the same day replaces it with the same key).
 *
 * @param key          the series
 * @param firstDay     the first day forecast
 * @param issuedAt     when the run stored it
 * @param modelName    the endpoint's model name
 * @param modelVersion the endpoint's model version
 * @param method       the model the endpoint chose for this series, or null
 * @param mean         mean units per day over the horizon (its length is the horizon)
 * @param quantiles    quantile key as DeepAR writes it ("0.1") to units per day
 * @param reorder      the reorder recommendation
 * @param maseScale    the MASE denominator from the history (mean absolute seasonal difference, season 7 days; plain
 *                     difference when the history is shorter than two weeks): actuals are scored against it later
 * @param historyDays  days of history the forecast was made from
 */
public record StoredForecast(SeriesKey key, LocalDate firstDay, Instant issuedAt, String modelName,
                             String modelVersion, String method, double[] mean, SortedMap<String, double[]> quantiles,
                             ReorderRecommendation reorder, double maseScale, int historyDays) {
    public int horizonDays() {
        return mean.length;
    }
}
