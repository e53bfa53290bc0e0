package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.List;

/** Where forecasts and their accuracy are kept. */
public interface ForecastStore {

    /** Stores a forecast under (series, first day): a rerun for the same first day replaces it. */
    void put(StoredForecast forecast);

    /** Stored forecasts of a series whose horizon ended before {@code asOf} and that are not scored yet. */
    List<StoredForecast> dueForScoring(SeriesKey key, LocalDate asOf);

    /**
     * Records a forecast's accuracy once and marks the forecast scored.
     *
     * @return false when it was recorded before (the forecast is scored once)
     */
    boolean recordAccuracy(ForecastAccuracy accuracy);
}
