package io.waybill.domain.forecast;

import java.util.List;

/**
 * The forecasting model behind the port: a SageMaker endpoint (our model server, or DeepAR) in AWS and locally.
 * Implementations send DeepAR's JSON inference format.
 */
public interface DemandForecaster {

    /**
     * Forecasts each history for {@code request.horizonDays()} days from its {@link DemandHistory#nextDay()}.
     *
     * @return one forecast per history, in the same order
     * @throws ForecasterUnavailable when the endpoint cannot be reached or throttles (retry later; nothing is stored)
     * @throws ForecastRejected      when the endpoint refuses the request (4xx: a bad series, never retried as is)
     */
    List<DemandForecast> forecast(List<DemandHistory> histories, ForecastRequest request);

    /** The endpoint's model name and version, as stored with each forecast. */
    ModelIdentity model();

    record ModelIdentity(String name, String version) {
    }

    /**
     * @param horizonDays    days ahead
     * @param quantileLevels levels in (0, 1), e.g. 0.1, 0.5, 0.9 (sent as DeepAR's string keys)
     * @param numSamples     sample paths asked for (0 = none): the reorder point is a quantile of their lead-time sums
     */
    record ForecastRequest(int horizonDays, List<Double> quantileLevels, int numSamples) {
        public ForecastRequest {
            quantileLevels = List.copyOf(quantileLevels);
        }
    }

    final class ForecasterUnavailable extends RuntimeException {
        public ForecasterUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    final class ForecastRejected extends RuntimeException {
        public ForecastRejected(String message) {
            super(message);
        }
    }
}
