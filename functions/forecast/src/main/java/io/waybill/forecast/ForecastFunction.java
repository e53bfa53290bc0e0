package io.waybill.forecast;

import io.waybill.aws.forecast.ForecastEnvironment;

import io.waybill.aws.forecast.DynamoDbDemandLedger;
import io.waybill.aws.forecast.DynamoDbForecastStore;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandIntake;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.ForecastRun;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The forecast function composed: the DynamoDB demand ledger and forecast store, the endpoint. Built once per
 * execution environment: in Lambda by {@link #fromEnvironment}, locally and in tests by {@link #create}.
 */
public record ForecastFunction(ForecastEnvironment settings, ForecastRun run, DynamoDbForecastStore store,
                               DemandLedger ledger, ForecastTelemetry telemetry, Clock clock) {
    /** The SageMaker runtime's read timeout: an invocation may take up to 60 s. */
    public static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(70);

    public ForecastFunction {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(clock, "clock");
    }

    public static ForecastFunction create(ForecastEnvironment settings, DynamoDbClient dynamo,
                                          DemandForecaster forecaster, Clock clock, ForecastTelemetry telemetry) {
        DemandLedger ledger = settings.ledger(dynamo);
        DynamoDbForecastStore store = settings.store(dynamo, ledger);
        ForecastRun run = settings.run(ledger, store, forecaster, clock, telemetry);
        return new ForecastFunction(settings, run, store, ledger, telemetry, clock);
    }

    /** The forecaster on a SageMaker runtime client (the endpoint name and model identity from the settings). */
    public static DemandForecaster forecaster(ForecastEnvironment settings, SageMakerRuntimeClient client) {
        return settings.forecaster(client);
    }

    /** The scheduled run as Lambda builds it: clients on the URLConnection HTTP client (small cold start). */
    public static ForecastFunction fromEnvironment(Map<String, String> env) {
        ForecastEnvironment settings = ForecastEnvironment.fromEnvironment(env);
        Region region = region(env);
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region).build();
        SageMakerRuntimeClient sagemaker = SageMakerRuntimeClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(INVOCATION_TIMEOUT))
                .region(region).build();
        EmfMetricsProvider provider = new EmfMetricsProvider();
        ForecastTelemetry telemetry = new ForecastTelemetry(MetricsFactory.getMetricsInstance(),
                provider::getMetricsInstance, env.get("POWERTOOLS_METRICS_NAMESPACE"));
        return create(settings, dynamo, forecaster(settings, sagemaker), Clock.systemUTC(), telemetry);
    }

    /** The intake as Lambda builds it: only the demand table is read. */
    public static DemandIntake intakeFromEnvironment(Map<String, String> env, ForecastTelemetry telemetry) {
        String table = ForecastEnvironment.demandTableFromEnvironment(env);
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region(env)).build();
        return new DemandIntake(new DynamoDbDemandLedger(dynamo, table), telemetry);
    }

    private static Region region(Map<String, String> env) {
        String r = env.get("AWS_REGION");
        if (r == null || r.isBlank()) {
            throw new IllegalArgumentException("AWS_REGION is required (Lambda sets it)");
        }
        return Region.of(r);
    }
}
