package io.waybill.domain.forecast;

import java.time.LocalDate;

/**
 * A stored forecast scored against the actuals that arrived for it.
 *
 * @param key          the series
 * @param firstDay     the forecast's first day
 * @param daysCompared days of the horizon with actuals (the horizon, once it has passed)
 * @param mase         mean absolute error over the forecast's MASE scale
 * @param bias         mean (forecast - actual), units per day: positive = over-forecast
 */
public record ForecastAccuracy(SeriesKey key, LocalDate firstDay, int daysCompared, double mase, double bias) {
}
