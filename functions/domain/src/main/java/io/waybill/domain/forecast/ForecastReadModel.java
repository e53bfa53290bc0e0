package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** What the ops API reads: series, their history, their latest forecast and its accuracy. */
public interface ForecastReadModel {

    /** Series known at a location (all locations when null), sorted by id, after {@code afterId} (null = from the start). */
    List<SeriesKey> series(String locationGln, String afterId, int limit);

    /** Daily demand of a series over [from, toInclusive], zero-filled. */
    DemandHistory history(SeriesKey key, LocalDate from, LocalDate toInclusive);

    /** The forecast with the latest first day, if any. */
    Optional<StoredForecast> latest(SeriesKey key);

    /** Accuracy of the series' scored forecasts, latest first. */
    List<ForecastAccuracy> accuracy(SeriesKey key, int limit);
}
