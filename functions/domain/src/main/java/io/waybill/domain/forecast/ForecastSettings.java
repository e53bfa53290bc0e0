package io.waybill.domain.forecast;

import java.math.BigDecimal;
import java.util.List;
import java.util.TreeSet;

/**
 * How the forecast run works.
 *
 * @param horizonDays    days forecast (default {@value #DEFAULT_HORIZON_DAYS})
 * @param serviceLevel   probability of no stock-out over the lead time (default {@value #DEFAULT_SERVICE_LEVEL})
 * @param leadTimeDays   replenishment lead time (default {@value #DEFAULT_LEAD_TIME_DAYS}), at most the horizon
 * @param historyDays    days of history sent (default {@value #DEFAULT_HISTORY_DAYS})
 * @param minHistoryDays a series is forecast once its first demand is at least this many days old (default
 *                       {@value #DEFAULT_MIN_HISTORY_DAYS})
 * @param quantiles      quantile levels stored (default 0.1, 0.5, 0.9); the service level is always asked too
 * @param samples        sample paths asked for (default {@value #DEFAULT_SAMPLES}; 0 = none, the reorder point then
 *                       comes from the quantiles)
 * @param batchSize      series per endpoint call (default {@value #DEFAULT_BATCH_SIZE}: 364 days of history and 200
 *                       paths of 28 days are about 50 KB a series, well within the 4 MB payload limit)
 */
public record ForecastSettings(int horizonDays, double serviceLevel, int leadTimeDays, int historyDays,
                               int minHistoryDays, List<Double> quantiles, int samples, int batchSize) {
    public static final int DEFAULT_HORIZON_DAYS = 28;
    public static final double DEFAULT_SERVICE_LEVEL = 0.95;
    public static final int DEFAULT_LEAD_TIME_DAYS = 7;
    public static final int DEFAULT_HISTORY_DAYS = 364;
    public static final int DEFAULT_MIN_HISTORY_DAYS = 28;
    public static final List<Double> DEFAULT_QUANTILES = List.of(0.1, 0.5, 0.9);
    public static final int DEFAULT_SAMPLES = 200;
    public static final int DEFAULT_BATCH_SIZE = 25;

    public ForecastSettings {
        quantiles = List.copyOf(quantiles);
        if (horizonDays < 1) {
            throw new IllegalArgumentException("horizon must be at least one day: " + horizonDays);
        }
        if (!(serviceLevel > 0 && serviceLevel < 1)) {
            throw new IllegalArgumentException("service level must be in (0, 1): " + serviceLevel);
        }
        if (leadTimeDays < 1 || leadTimeDays > horizonDays) {
            throw new IllegalArgumentException("lead time must be 1.." + horizonDays + " days: " + leadTimeDays);
        }
        if (minHistoryDays < 2 || historyDays < minHistoryDays) {
            throw new IllegalArgumentException("need 2 <= min history (" + minHistoryDays + ") <= history ("
                    + historyDays + ")");
        }
        for (double q : quantiles) {
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException("quantile levels must be in (0, 1): " + q);
            }
        }
        if (samples < 0 || batchSize < 1) {
            throw new IllegalArgumentException("samples must be >= 0 and batch size >= 1");
        }
    }

    public static ForecastSettings defaults() {
        return new ForecastSettings(DEFAULT_HORIZON_DAYS, DEFAULT_SERVICE_LEVEL, DEFAULT_LEAD_TIME_DAYS,
                DEFAULT_HISTORY_DAYS, DEFAULT_MIN_HISTORY_DAYS, DEFAULT_QUANTILES, DEFAULT_SAMPLES, DEFAULT_BATCH_SIZE);
    }

    /** The levels asked of the endpoint: the configured ones and the service level, ascending. */
    public List<Double> requestedQuantiles() {
        TreeSet<Double> levels = new TreeSet<>(quantiles);
        levels.add(serviceLevel);
        return List.copyOf(levels);
    }

    /** A level as DeepAR writes it: {@code 0.1}, {@code 0.95}. */
    public static String levelKey(double level) {
        return BigDecimal.valueOf(level).stripTrailingZeros().toPlainString();
    }
}
