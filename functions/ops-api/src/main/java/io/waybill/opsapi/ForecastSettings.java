package io.waybill.opsapi;

import io.waybill.aws.forecast.DynamoDbForecastStore;
import io.waybill.aws.forecast.ForecastEnvironment;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastJournal;
import io.waybill.domain.forecast.ForecastReadModel;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import io.waybill.domain.forecast.OnDemandForecast;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The forecast routes' configuration (one optional block, as {@link ProvenanceSettings}): without a forecast table the
 * stage does not forecast and every {@code /forecasts} route answers 404 {@code forecasting-off}. Set the forecast
 * table and the demand table and the endpoint must be set too (a half-configured forecaster is a start failure, not
 * a silent "off").
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><th>variable</th><th>meaning</th></tr>
 * <tr><td>{@value #ENV_FORECAST_TABLE}</td><td>the stored forecasts and their accuracy; default none: forecasting is
 *     off in this stage</td></tr>
 * <tr><td>{@value #ENV_DEMAND_TABLE}</td><td>the daily demand per series (the forecast function builds it from
 *     canonical events)</td></tr>
 * <tr><td>{@value #ENV_FORECAST_ENDPOINT}</td><td>the SageMaker endpoint's name ({@code POST /forecasts/{seriesId}}
 *     calls it)</td></tr>
 * </table>
 *
 * @param forecastTable the forecasts, or null: forecasting off
 * @param demandTable   the demand history, or null when off
 * @param endpointName  the SageMaker endpoint, or null when off
 */
public record ForecastSettings(String forecastTable, String demandTable, String endpointName) {
    public static final String ENV_FORECAST_TABLE = "WAYBILL_FORECAST_TABLE";
    public static final String ENV_DEMAND_TABLE = "WAYBILL_DEMAND_TABLE";
    public static final String ENV_FORECAST_ENDPOINT = "WAYBILL_FORECAST_ENDPOINT";

    public ForecastSettings {
        forecastTable = blankToNull(forecastTable);
        demandTable = blankToNull(demandTable);
        endpointName = blankToNull(endpointName);
        if (forecastTable != null && (demandTable == null || endpointName == null)) {
            throw new IllegalStateException(ENV_FORECAST_TABLE + " is set, so " + ENV_DEMAND_TABLE + " and "
                    + ENV_FORECAST_ENDPOINT + " must be set too");
        }
    }

    /** Forecasting off. */
    public static ForecastSettings off() {
        return new ForecastSettings(null, null, null);
    }

    public boolean configured() {
        return forecastTable != null;
    }

    public static ForecastSettings fromEnvironment(Map<String, String> env) {
        String table = blankToNull(env.get(ENV_FORECAST_TABLE));
        return table == null ? off() : new ForecastSettings(table, env.get(ENV_DEMAND_TABLE),
                env.get(ENV_FORECAST_ENDPOINT));
    }

    /**
     * The {@code /forecasts} routes: built from the adapters when configured, else {@link ForecastRoutes#off()}.
     *
     * @param readModel builds the read model (called only when configured; null: not wired in this build, the routes
     *                  are off)
     * @param onDemand  builds the on-demand forecast (same)
     */
    public ForecastRoutes routes(Supplier<? extends ForecastReadModel> readModel,
                                 Supplier<? extends OnDemandForecast> onDemand) {
        if (!configured() || readModel == null || onDemand == null) {
            return ForecastRoutes.off();
        }
        return new ForecastRoutes(readModel.get(), onDemand.get());
    }

    /**
     * The {@code /forecasts} routes on the stage's tables and endpoint: the same {@link ForecastEnvironment} the
     * forecast function reads (horizon, service level, quantiles...), so {@code POST} makes the forecast the schedule
     * would. Off when not configured.
     *
     * @param env       the whole environment ({@code WAYBILL_FORECAST_*})
     * @param sagemaker builds the runtime client (called only when configured)
     */
    public ForecastRoutes routes(Map<String, String> env, DynamoDbClient dynamo,
                                 Supplier<SageMakerRuntimeClient> sagemaker, Clock clock) {
        if (!configured()) {
            return ForecastRoutes.off();
        }
        ForecastEnvironment forecasting = ForecastEnvironment.fromEnvironment(env);
        DemandLedger ledger = forecasting.ledger(dynamo);
        DynamoDbForecastStore store = forecasting.store(dynamo, ledger);
        return new ForecastRoutes(store, forecasting.run(ledger, store, forecasting.forecaster(sagemaker.get()), clock,
                OnDemandJournal.INSTANCE), clock);
    }

    /** What an on-demand forecast did, in the function's structured log (the schedule's run publishes the metrics). */
    private static final class OnDemandJournal implements ForecastJournal {
        static final OnDemandJournal INSTANCE = new OnDemandJournal();
        private static final Logger LOG = LoggerFactory.getLogger(OnDemandJournal.class);

        @Override
        public void stored(StoredForecast forecast) {
            LOG.info("on-demand forecast stored: series={} firstDay={} method={} reorderPoint={}",
                    forecast.key().id(), forecast.firstDay(), forecast.method(), forecast.reorder().reorderPoint());
        }

        @Override
        public void skipped(SeriesKey key, String reason) {
            LOG.info("on-demand forecast skipped: series={} reason={}", key.id(), reason);
        }

        @Override
        public void endpointUnavailable(RuntimeException cause) {
            LOG.warn("forecast endpoint unavailable: {}", cause.toString());
        }

        @Override
        public void rejected(SeriesKey key, String message) {
            LOG.warn("forecast rejected by the endpoint: series={} message={}", key.id(), message);
        }

        @Override
        public void scored(ForecastAccuracy accuracy) {
            LOG.info("forecast scored: series={} firstDay={} mase={} bias={}", accuracy.key().id(),
                    accuracy.firstDay(), accuracy.mase(), accuracy.bias());
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
