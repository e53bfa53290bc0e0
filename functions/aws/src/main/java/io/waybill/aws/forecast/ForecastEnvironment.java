package io.waybill.aws.forecast;

import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.ForecastJournal;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.domain.forecast.ForecastSettings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

import java.time.Clock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.waybill.aws.FunctionEnvironment.decimal;
import static io.waybill.aws.FunctionEnvironment.integer;
import static io.waybill.aws.FunctionEnvironment.required;

/**
 * The forecasting configuration, read from the environment in one place ({@link #fromEnvironment(Map)}): the forecast
 * function's run and the ops API's {@code POST /forecasts/{seriesId}} build the same {@link ForecastRun} from it
 * ({@link #run}), so an on-demand forecast is made exactly as the scheduled one.
 *
 * @param demandTable   {@value #DEMAND_TABLE}: the demand ledger (required)
 * @param forecastTable {@value #FORECAST_TABLE}: forecasts and accuracy (required by the run; the intake does not
 *                      read it)
 * @param endpoint      {@value #ENDPOINT}: the SageMaker endpoint's name (required by the run)
 * @param modelName     {@value #MODEL_NAME}: stored with each forecast (default {@code waybill-forecast})
 * @param modelVersion  {@value #MODEL_VERSION}: stored with each forecast (default {@code unversioned})
 * @param run           {@value #HORIZON_DAYS} (28), {@value #SERVICE_LEVEL} (0.95), {@value #LEAD_TIME_DAYS} (7),
 *                      {@value #HISTORY_DAYS} (364), {@value #MIN_HISTORY_DAYS} (28), {@value #QUANTILES}
 *                      ("0.1,0.5,0.9"), {@value #SAMPLES} (200); see {@link ForecastSettings}
 */
public record ForecastEnvironment(String demandTable, String forecastTable, String endpoint, String modelName,
                                       String modelVersion, ForecastSettings run) {
    public static final String DEMAND_TABLE = "WAYBILL_DEMAND_TABLE";
    public static final String FORECAST_TABLE = "WAYBILL_FORECAST_TABLE";
    public static final String ENDPOINT = "WAYBILL_FORECAST_ENDPOINT";
    public static final String MODEL_NAME = "WAYBILL_FORECAST_MODEL_NAME";
    public static final String MODEL_VERSION = "WAYBILL_FORECAST_MODEL_VERSION";
    public static final String HORIZON_DAYS = "WAYBILL_FORECAST_HORIZON_DAYS";
    public static final String SERVICE_LEVEL = "WAYBILL_FORECAST_SERVICE_LEVEL";
    public static final String LEAD_TIME_DAYS = "WAYBILL_FORECAST_LEAD_TIME_DAYS";
    public static final String HISTORY_DAYS = "WAYBILL_FORECAST_HISTORY_DAYS";
    public static final String MIN_HISTORY_DAYS = "WAYBILL_FORECAST_MIN_HISTORY_DAYS";
    public static final String QUANTILES = "WAYBILL_FORECAST_QUANTILES";
    public static final String SAMPLES = "WAYBILL_FORECAST_SAMPLES";
    public static final String DEFAULT_MODEL_NAME = "waybill-forecast";
    public static final String DEFAULT_MODEL_VERSION = "unversioned";

    public ForecastEnvironment {
        Objects.requireNonNull(demandTable, DEMAND_TABLE);
        Objects.requireNonNull(run, "run");
    }

    /** The forecaster: this endpoint through the SageMaker runtime client, with the model identity stored per forecast. */
    public DemandForecaster forecaster(SageMakerRuntimeClient client) {
        return new SageMakerDemandForecaster(client, endpoint,
                new DemandForecaster.ModelIdentity(modelName, modelVersion));
    }

    /** The demand ledger on {@link #demandTable()}. */
    public DemandLedger ledger(DynamoDbClient dynamo) {
        return new DynamoDbDemandLedger(dynamo, demandTable);
    }

    /** The forecast store on {@link #forecastTable()}, reading demand history from {@code ledger}. */
    public DynamoDbForecastStore store(DynamoDbClient dynamo, DemandLedger ledger) {
        return new DynamoDbForecastStore(dynamo, forecastTable, ledger);
    }

    /** The forecast run (scheduled, and on demand) on these tables and this endpoint. */
    public ForecastRun run(DemandLedger ledger, DynamoDbForecastStore store, DemandForecaster forecaster, Clock clock,
                           ForecastJournal journal) {
        return new ForecastRun(ledger, store, forecaster, run, clock, journal);
    }

    /** The intake's settings: only {@value #DEMAND_TABLE} is required. */
    public static String demandTableFromEnvironment(Map<String, String> env) {
        return required(env, DEMAND_TABLE);
    }

    /** @throws IllegalArgumentException naming the variable that is missing or invalid */
    public static ForecastEnvironment fromEnvironment(Map<String, String> env) {
        ForecastSettings run;
        try {
            run = new ForecastSettings(integer(env, HORIZON_DAYS, ForecastSettings.DEFAULT_HORIZON_DAYS),
                    decimal(env, SERVICE_LEVEL, ForecastSettings.DEFAULT_SERVICE_LEVEL),
                    integer(env, LEAD_TIME_DAYS, ForecastSettings.DEFAULT_LEAD_TIME_DAYS),
                    integer(env, HISTORY_DAYS, ForecastSettings.DEFAULT_HISTORY_DAYS),
                    integer(env, MIN_HISTORY_DAYS, ForecastSettings.DEFAULT_MIN_HISTORY_DAYS),
                    quantiles(env), integer(env, SAMPLES, ForecastSettings.DEFAULT_SAMPLES),
                    ForecastSettings.DEFAULT_BATCH_SIZE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("WAYBILL_FORECAST_*: " + e.getMessage(), e);
        }
        return new ForecastEnvironment(required(env, DEMAND_TABLE), required(env, FORECAST_TABLE),
                required(env, ENDPOINT), env.getOrDefault(MODEL_NAME, DEFAULT_MODEL_NAME).trim(),
                env.getOrDefault(MODEL_VERSION, DEFAULT_MODEL_VERSION).trim(), run);
    }

    private static List<Double> quantiles(Map<String, String> env) {
        String v = env.get(QUANTILES);
        if (v == null || v.isBlank()) {
            return ForecastSettings.DEFAULT_QUANTILES;
        }
        List<Double> out = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                out.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(QUANTILES + " must be levels such as 0.1,0.5,0.9: " + v, e);
            }
        }
        return out;
    }

}
