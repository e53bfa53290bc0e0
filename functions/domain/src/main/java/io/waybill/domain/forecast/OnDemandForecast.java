package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.Optional;

/** Forecast one series now (the ops API's POST route): same code path as the scheduled run. */
public interface OnDemandForecast {

    /**
     * Builds the series' history up to {@code asOf} (exclusive), asks the endpoint, stores and returns the forecast.
     *
     * @return empty when the series has too little history to forecast
     */
    Optional<StoredForecast> forecastNow(SeriesKey key, LocalDate asOf);
}
