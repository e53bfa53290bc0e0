package io.waybill.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A stage's demand forecasting (issue 15), the context section {@value #CTX_FORECASTING}: a JSON object (a map in
 * {@code cdk.json}, a JSON string with {@code -c forecasting='{...}'}). Absent (or empty): no forecasting resources at
 * all ({@link #off()}). Present, even as {@code {}}: {@link DemandForecasting} with these settings, each defaulted:
 *
 * <table>
 * <caption>Keys of the forecasting section</caption>
 * <tr><td>{@code serverless}</td><td>{@code true} (default): a SageMaker serverless endpoint; {@code false}: a
 * production variant on instances</td></tr>
 * <tr><td>{@code memoryMb}</td><td>serverless only: the endpoint's memory, {@value #DEFAULT_MEMORY_MB} by default,
 * {@value #MIN_MEMORY_MB} to {@value #MAX_MEMORY_MB} in steps of {@value #MEMORY_STEP_MB} (what SageMaker accepts)</td></tr>
 * <tr><td>{@code maxConcurrency}</td><td>serverless only: concurrent invocations, default
 * {@value #DEFAULT_MAX_CONCURRENCY} (1 to {@value #MAX_MAX_CONCURRENCY})</td></tr>
 * <tr><td>{@code provisionedConcurrency}</td><td>serverless only: warm instances kept, default 0 (none; at most
 * {@code maxConcurrency})</td></tr>
 * <tr><td>{@code instanceType}</td><td>instances only: default {@value #DEFAULT_INSTANCE_TYPE}</td></tr>
 * <tr><td>{@code instanceCount}</td><td>instances only: default 1 (1 to {@value #MAX_INSTANCE_COUNT})</td></tr>
 * <tr><td>{@code schedule}</td><td>the forecast run's EventBridge schedule, default {@value #DEFAULT_SCHEDULE}
 * (daily at 02:00 UTC); a {@code cron(...)} of six fields or a {@code rate(...)}</td></tr>
 * <tr><td>{@code serviceLevel}</td><td>the reorder recommendation's cycle service level, default
 * {@value #DEFAULT_SERVICE_LEVEL} (0.5 to 0.999)</td></tr>
 * <tr><td>{@code leadTimeDays}</td><td>replenishment lead time the safety stock covers, default
 * {@value #DEFAULT_LEAD_TIME_DAYS} (1 to {@code horizonDays})</td></tr>
 * <tr><td>{@code horizonDays}</td><td>days forecast ({@code prediction_length}), default {@value #DEFAULT_HORIZON_DAYS}
 * (1 to {@value #MAX_HORIZON_DAYS})</td></tr>
 * <tr><td>{@code historyDays}</td><td>days of demand history sent, default {@value #DEFAULT_HISTORY_DAYS} (up to
 * {@value #MAX_HISTORY_DAYS})</td></tr>
 * <tr><td>{@code minHistoryDays}</td><td>a series with less history is not forecast, default
 * {@value #DEFAULT_MIN_HISTORY_DAYS} (1 to {@code historyDays})</td></tr>
 * <tr><td>{@code quantiles}</td><td>quantiles asked for, a list or a comma-separated string, default
 * {@value #DEFAULT_QUANTILES} (each strictly between 0 and 1)</td></tr>
 * <tr><td>{@code samples}</td><td>{@code num_samples} of the request, default {@value #DEFAULT_SAMPLES} (1 to
 * {@value #MAX_SAMPLES})</td></tr>
 * </table>
 */
public record ForecastingConfig(boolean enabled, boolean serverless, int memoryMb, int maxConcurrency,
                                int provisionedConcurrency, String instanceType, int instanceCount, String schedule,
                                double serviceLevel, int leadTimeDays, int horizonDays, int historyDays,
                                int minHistoryDays, List<Double> quantiles, int samples) {

    /** The context section's key. */
    public static final String CTX_FORECASTING = "forecasting";

    /** SageMaker serverless inference: 1024 to 6144 MB in 1 GB steps, up to 200 concurrent invocations. */
    public static final int MIN_MEMORY_MB = 1024;
    public static final int MAX_MEMORY_MB = 6144;
    public static final int MEMORY_STEP_MB = 1024;
    public static final int MAX_MAX_CONCURRENCY = 200;
    /** ETS fits of a few hundred series a request run comfortably in 2 GB (the model server's heap is 75 % of it). */
    public static final int DEFAULT_MEMORY_MB = 2048;
    /** A daily run of a few thousand series in batches: five at once keeps a run within minutes. */
    public static final int DEFAULT_MAX_CONCURRENCY = 5;
    public static final String DEFAULT_INSTANCE_TYPE = "ml.m5.large";
    public static final int MAX_INSTANCE_COUNT = 10;
    public static final String DEFAULT_SCHEDULE = "cron(0 2 * * ? *)";
    public static final double DEFAULT_SERVICE_LEVEL = 0.95;
    public static final int DEFAULT_LEAD_TIME_DAYS = 7;
    public static final int DEFAULT_HORIZON_DAYS = 28;
    public static final int MAX_HORIZON_DAYS = 366;
    /** Two years: enough for yearly seasonality in the history's own weekly or monthly aggregates. */
    public static final int DEFAULT_HISTORY_DAYS = 364;
    public static final int MAX_HISTORY_DAYS = 1830;
    /** Four weeks: two cycles of weekly seasonality. */
    public static final int DEFAULT_MIN_HISTORY_DAYS = 28;
    public static final String DEFAULT_QUANTILES = "0.1,0.5,0.9";
    /** DeepAR's own default of {@code num_samples}. */
    public static final int DEFAULT_SAMPLES = 200;
    public static final int MAX_SAMPLES = 1000;

    private static final Pattern INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9]+\\.[a-z0-9]+");
    /** EventBridge: cron with six fields, or rate(n unit). */
    private static final Pattern SCHEDULE = Pattern.compile(
            "cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)|rate\\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\\)");
    private static final Set<String> SERVERLESS_KEYS = Set.of("memoryMb", "maxConcurrency", "provisionedConcurrency");
    private static final Set<String> INSTANCE_KEYS = Set.of("instanceType", "instanceCount");
    private static final Set<String> KEYS = Set.of("serverless", "memoryMb", "maxConcurrency",
            "provisionedConcurrency", "instanceType", "instanceCount", "schedule", "serviceLevel", "leadTimeDays",
            "horizonDays", "historyDays", "minHistoryDays", "quantiles", "samples");

    /** No forecasting (a stage whose context has no {@value #CTX_FORECASTING} section). */
    public static ForecastingConfig off() {
        return new ForecastingConfig(false, true, DEFAULT_MEMORY_MB, DEFAULT_MAX_CONCURRENCY, 0, null, 1,
                DEFAULT_SCHEDULE, DEFAULT_SERVICE_LEVEL, DEFAULT_LEAD_TIME_DAYS, DEFAULT_HORIZON_DAYS,
                DEFAULT_HISTORY_DAYS, DEFAULT_MIN_HISTORY_DAYS, parseQuantiles(DEFAULT_QUANTILES), DEFAULT_SAMPLES);
    }

    /** Forecasting with every default: a serverless endpoint of 2 GB and 5 concurrent invocations, daily at 02:00. */
    public static ForecastingConfig defaults() {
        return fromContext(Map.of());
    }

    public ForecastingConfig {
        quantiles = List.copyOf(quantiles);
        if (enabled) {
            validate(serverless, memoryMb, maxConcurrency, provisionedConcurrency, instanceType, instanceCount,
                    schedule, serviceLevel, leadTimeDays, horizonDays, historyDays, minHistoryDays, quantiles,
                    samples);
        }
    }

    private static void validate(boolean serverless, int memoryMb, int maxConcurrency, int provisionedConcurrency,
                                 String instanceType, int instanceCount, String schedule, double serviceLevel,
                                 int leadTimeDays, int horizonDays, int historyDays, int minHistoryDays,
                                 List<Double> quantiles, int samples) {
        if (serverless) {
            if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB || memoryMb % MEMORY_STEP_MB != 0) {
                throw new IllegalArgumentException(where("memoryMb") + " must be " + MIN_MEMORY_MB + " to "
                        + MAX_MEMORY_MB + " in steps of " + MEMORY_STEP_MB + " (SageMaker serverless memory sizes), "
                        + "was " + memoryMb);
            }
            if (maxConcurrency < 1 || maxConcurrency > MAX_MAX_CONCURRENCY) {
                throw new IllegalArgumentException(where("maxConcurrency") + " must be 1 to " + MAX_MAX_CONCURRENCY
                        + " (SageMaker serverless), was " + maxConcurrency);
            }
            if (provisionedConcurrency < 0 || provisionedConcurrency > maxConcurrency) {
                throw new IllegalArgumentException(where("provisionedConcurrency") + " must be 0 (none) to "
                        + "maxConcurrency (" + maxConcurrency + "), was " + provisionedConcurrency);
            }
        } else {
            if (instanceType == null || !INSTANCE_TYPE.matcher(instanceType).matches()) {
                throw new IllegalArgumentException(where("instanceType") + " must be a SageMaker instance type such "
                        + "as " + DEFAULT_INSTANCE_TYPE + ", was " + quoted(instanceType));
            }
            if (instanceCount < 1 || instanceCount > MAX_INSTANCE_COUNT) {
                throw new IllegalArgumentException(where("instanceCount") + " must be 1 to " + MAX_INSTANCE_COUNT
                        + ", was " + instanceCount);
            }
        }
        if (schedule == null || !SCHEDULE.matcher(schedule).matches()) {
            throw new IllegalArgumentException(where("schedule") + " must be an EventBridge schedule such as "
                    + DEFAULT_SCHEDULE + " (cron with six fields) or rate(1 day), was " + quoted(schedule));
        }
        if (!(serviceLevel >= 0.5 && serviceLevel <= 0.999)) {
            throw new IllegalArgumentException(where("serviceLevel") + " must be 0.5 to 0.999 (a cycle service "
                    + "level, e.g. 0.95), was " + serviceLevel);
        }
        if (horizonDays < 1 || horizonDays > MAX_HORIZON_DAYS) {
            throw new IllegalArgumentException(where("horizonDays") + " must be 1 to " + MAX_HORIZON_DAYS + ", was "
                    + horizonDays);
        }
        if (leadTimeDays < 1 || leadTimeDays > horizonDays) {
            throw new IllegalArgumentException(where("leadTimeDays") + " must be 1 to horizonDays (" + horizonDays
                    + "): the safety stock covers the lead time from the forecast, was " + leadTimeDays);
        }
        if (historyDays < 1 || historyDays > MAX_HISTORY_DAYS) {
            throw new IllegalArgumentException(where("historyDays") + " must be 1 to " + MAX_HISTORY_DAYS + ", was "
                    + historyDays);
        }
        if (minHistoryDays < 1 || minHistoryDays > historyDays) {
            throw new IllegalArgumentException(where("minHistoryDays") + " must be 1 to historyDays (" + historyDays
                    + "), was " + minHistoryDays);
        }
        if (quantiles.isEmpty()) {
            throw new IllegalArgumentException(where("quantiles") + " must name at least one quantile");
        }
        double previous = 0;
        for (double q : quantiles) {
            if (!(q > 0 && q < 1)) {
                throw new IllegalArgumentException(where("quantiles") + ": each must be strictly between 0 and 1, "
                        + "was " + q);
            }
            if (q <= previous) {
                throw new IllegalArgumentException(where("quantiles") + " must be increasing without repeats, was "
                        + quantiles);
            }
            previous = q;
        }
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException(where("samples") + " must be 1 to " + MAX_SAMPLES + ", was " + samples);
        }
    }

    /** {@code WAYBILL_FORECAST_QUANTILES}: the quantiles comma-separated, as DeepAR's string keys ({@code 0.1}). */
    public String quantilesText() {
        return String.join(",", quantiles.stream().map(ForecastingConfig::number).toList());
    }

    /** {@code WAYBILL_FORECAST_SERVICE_LEVEL}. */
    public String serviceLevelText() {
        return number(serviceLevel);
    }

    private static String number(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /**
     * The section as CDK context gives it: a map (from {@code cdk.json}) or a JSON string (from {@code -c}); absent or
     * empty text: {@link #off()}.
     */
    static ForecastingConfig fromContext(Object section) {
        Optional<Map<String, Object>> present = ContextSection.values(section, CTX_FORECASTING,
                "{\"memoryMb\":2048,\"maxConcurrency\":5,\"schedule\":\"cron(0 2 * * ? *)\"}", KEYS);
        if (present.isEmpty()) {
            return off();
        }
        Map<String, Object> values = present.get();
        boolean serverless = bool(values, "serverless", true);
        Set<String> misplaced = serverless ? INSTANCE_KEYS : SERVERLESS_KEYS;
        List<String> wrong = values.keySet().stream().filter(misplaced::contains).sorted().toList();
        if (!wrong.isEmpty()) {
            throw new IllegalArgumentException("context " + CTX_FORECASTING + ": " + wrong + " "
                    + (serverless ? "are for an endpoint on instances (serverless: false)"
                    : "are for a serverless endpoint (serverless: true)"));
        }
        return new ForecastingConfig(true, serverless,
                intValue(values, "memoryMb", DEFAULT_MEMORY_MB),
                intValue(values, "maxConcurrency", DEFAULT_MAX_CONCURRENCY),
                intValue(values, "provisionedConcurrency", 0),
                serverless ? null : string(values, "instanceType", DEFAULT_INSTANCE_TYPE),
                intValue(values, "instanceCount", 1),
                string(values, "schedule", DEFAULT_SCHEDULE),
                doubleValue(values, "serviceLevel", DEFAULT_SERVICE_LEVEL),
                intValue(values, "leadTimeDays", DEFAULT_LEAD_TIME_DAYS),
                intValue(values, "horizonDays", DEFAULT_HORIZON_DAYS),
                intValue(values, "historyDays", DEFAULT_HISTORY_DAYS),
                intValue(values, "minHistoryDays", DEFAULT_MIN_HISTORY_DAYS),
                quantiles(values.get("quantiles")),
                intValue(values, "samples", DEFAULT_SAMPLES));
    }

    private static List<Double> quantiles(Object value) {
        if (value == null) {
            return parseQuantiles(DEFAULT_QUANTILES);
        }
        if (value instanceof List<?> list) {
            List<Double> out = new ArrayList<>();
            for (Object item : list) {
                out.add(parseDouble("quantiles", String.valueOf(item).trim()));
            }
            return out;
        }
        return parseQuantiles(value.toString());
    }

    private static List<Double> parseQuantiles(String text) {
        List<Double> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parseDouble("quantiles", part.trim()));
            }
        }
        return out;
    }

    private static String where(String key) {
        return "context " + CTX_FORECASTING + "." + key;
    }

    private static String quoted(String value) {
        return value == null ? "absent" : "'" + value + "'";
    }

    private static String string(Map<String, Object> values, String key, String fallback) {
        Object v = values.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }

    private static boolean bool(Map<String, Object> values, String key, boolean fallback) {
        String v = string(values, key, null);
        if (v == null) {
            return fallback;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException(where(key) + " must be true or false, was '" + v + "'");
    }

    private static int intValue(Map<String, Object> values, String key, int fallback) {
        String v = string(values, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(key) + " must be a whole number, was '" + v + "'", e);
        }
    }

    private static double doubleValue(Map<String, Object> values, String key, double fallback) {
        String v = string(values, key, null);
        return v == null ? fallback : parseDouble(key, v);
    }

    private static double parseDouble(String key, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException(v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where(key) + " must be a number, was '" + v + "'", e);
        }
    }
}
