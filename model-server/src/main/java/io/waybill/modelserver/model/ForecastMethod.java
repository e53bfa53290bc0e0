package io.waybill.modelserver.model;

/**
 * A forecasting method: fits one series and returns a model that forecasts it.
 *
 * <p>Implementations are pure Java and thread-safe (a method holds configuration only; fitting allocates its own
 * state), so the server fits many series at once.
 */
public interface ForecastMethod {

    /** The method's name as reported to callers, e.g. {@code "ets"}, {@code "theta"}, {@code "croston-sba"}. */
    String name();

    /**
     * Fits the method to a series.
     *
     * @param y      the observations, oldest first; every value finite (the caller has already dealt with missing values)
     * @param period the seasonal period (12 monthly, 4 quarterly, 7 daily, 52 weekly, 24 hourly; 1 = not seasonal)
     * @return the fitted model
     * @throws UnfittableSeries when this method cannot fit this series (too short, values it cannot take)
     */
    FittedForecast fit(double[] y, int period);
}
