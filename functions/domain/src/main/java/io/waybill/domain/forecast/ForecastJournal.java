package io.waybill.domain.forecast;

import io.waybill.domain.event.CanonicalEvent;

import java.time.LocalDate;

/** What the demand intake, the forecast run and the scoring report as they go (logs and metrics); no-ops by default. */
public interface ForecastJournal {
    ForecastJournal NONE = new ForecastJournal() {
    };

    /** {@code units} SGTINs new to a demand line. */
    default void unitsRecorded(SeriesKey key, LocalDate day, int units) {
    }

    /** A departure that names no (valid) location: its units cannot be attributed to a series. */
    default void unattributableDeparture(CanonicalEvent event, String reason) {
    }

    default void stored(StoredForecast forecast) {
    }

    default void skipped(SeriesKey key, String reason) {
    }

    default void endpointUnavailable(RuntimeException cause) {
    }

    default void rejected(SeriesKey key, String message) {
    }

    default void scored(ForecastAccuracy accuracy) {
    }

    /**
     * Accuracy of the forecasts scored in one run at one facility.
     *
     * @param meanMase mean MASE over the forecasts with a defined MASE (NaN when none had one)
     * @param meanBias mean bias, units per day
     */
    default void facilityAccuracy(String gln, double meanMase, double meanBias, int forecasts) {
    }
}
