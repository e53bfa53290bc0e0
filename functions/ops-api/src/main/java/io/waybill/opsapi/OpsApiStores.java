package io.waybill.opsapi;

import java.time.Duration;
import java.util.Map;

/**
 * The stores of the ops API's operational views (KPIs, devices), each optional: a view whose store is not configured
 * is not served (its routes answer 404), so a deployment without the KPI aggregator or the device registry still has
 * the rest of the API. Read from the environment with {@link OpsApiSettings}, in
 * {@link OpsApiFunction#fromEnvironment()}.
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_KPI_AGGREGATES_TABLE}</td><td>the KPI aggregator's table: {@code /kpis/lanes} and
 *     {@code /kpis/facilities}; default none (not served)</td></tr>
 * <tr><td>{@value #ENV_DEVICE_REGISTRY_TABLE}</td><td>the device registry: {@code /devices} and
 *     {@code /devices/{deviceId}}; default none (not served)</td></tr>
 * <tr><td>{@value #ENV_EXPOSURE_TABLE}</td><td>the cold chain's evidence and standing per shipment: the sequence gaps
 *     of {@code /devices/{deviceId}}; default none (no gaps reported)</td></tr>
 * <tr><td>{@value #ENV_CONSUMER_WATERMARKS_TABLE}</td><td>the stream consumers' watermarks: their lag on
 *     {@code /health}; default none (no consumers reported)</td></tr>
 * <tr><td>{@value #ENV_CONSUMER_LAG_THRESHOLD_SECONDS}</td><td>the lag beyond which {@code /health} is
 *     {@code degraded}, default {@value #DEFAULT_LAG_THRESHOLD_SECONDS} s</td></tr>
 * </table>
 *
 * @param kpiAggregatesTable  the KPI aggregates table, or null
 * @param deviceRegistryTable the device registry table, or null
 * @param exposureTable       the cold chain's exposure (evidence) table, or null
 * @param consumerWatermarksTable the consumer watermarks table, or null
 * @param lagThreshold        a consumer lag beyond this makes {@code /health} degraded
 */
public record OpsApiStores(String kpiAggregatesTable, String deviceRegistryTable, String exposureTable,
                           String consumerWatermarksTable, Duration lagThreshold) {
    public static final String ENV_KPI_AGGREGATES_TABLE = "WAYBILL_KPI_AGGREGATES_TABLE";
    public static final String ENV_DEVICE_REGISTRY_TABLE = "WAYBILL_DEVICE_REGISTRY_TABLE";
    public static final String ENV_EXPOSURE_TABLE = "WAYBILL_EXPOSURE_TABLE";
    public static final String ENV_CONSUMER_WATERMARKS_TABLE = "WAYBILL_CONSUMER_WATERMARKS_TABLE";
    public static final String ENV_CONSUMER_LAG_THRESHOLD_SECONDS = "WAYBILL_CONSUMER_LAG_THRESHOLD_SECONDS";
    /**
     * Five minutes: the stream consumers batch for seconds and retry for a minute or two; beyond five minutes behind
     * something is stuck (or the stream has been idle that long: the lag is measured to the last record processed).
     */
    public static final long DEFAULT_LAG_THRESHOLD_SECONDS = 300;

    public OpsApiStores {
        kpiAggregatesTable = blankToNull(kpiAggregatesTable);
        deviceRegistryTable = blankToNull(deviceRegistryTable);
        exposureTable = blankToNull(exposureTable);
        consumerWatermarksTable = blankToNull(consumerWatermarksTable);
        lagThreshold = lagThreshold == null ? Duration.ofSeconds(DEFAULT_LAG_THRESHOLD_SECONDS) : lagThreshold;
        if (lagThreshold.isNegative() || lagThreshold.isZero()) {
            throw new IllegalStateException(ENV_CONSUMER_LAG_THRESHOLD_SECONDS + " must be positive: " + lagThreshold);
        }
    }

    /** The KPI, device and exposure tables, no consumer watermarks. */
    public OpsApiStores(String kpiAggregatesTable, String deviceRegistryTable, String exposureTable) {
        this(kpiAggregatesTable, deviceRegistryTable, exposureTable, null, null);
    }

    /** No optional store: the core routes only. */
    public static OpsApiStores none() {
        return new OpsApiStores(null, null, null);
    }

    static OpsApiStores fromEnvironment(Map<String, String> env) {
        String threshold = blankToNull(env.get(ENV_CONSUMER_LAG_THRESHOLD_SECONDS));
        Duration lag;
        try {
            lag = threshold == null ? null : Duration.ofSeconds(Long.parseLong(threshold));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(ENV_CONSUMER_LAG_THRESHOLD_SECONDS + " must be whole seconds: " + threshold);
        }
        return new OpsApiStores(env.get(ENV_KPI_AGGREGATES_TABLE), env.get(ENV_DEVICE_REGISTRY_TABLE),
                env.get(ENV_EXPOSURE_TABLE), env.get(ENV_CONSUMER_WATERMARKS_TABLE), lag);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
