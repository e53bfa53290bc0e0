package io.waybill.local.forecast;

import io.waybill.aws.forecast.DynamoDbDemandLedger;
import io.waybill.aws.forecast.DynamoDbForecastStore;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandIntake;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.forecast.DemandIntakeHandler;
import io.waybill.forecast.ForecastFunction;
import io.waybill.aws.forecast.ForecastEnvironment;
import io.waybill.forecast.ForecastScheduleHandler;
import io.waybill.forecast.ForecastTelemetry;
import io.waybill.local.AwsClients;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.esm.KinesisEventSourceMapping;
import io.waybill.local.esm.StreamEventSourceMapping;
import io.waybill.local.stack.StackResources;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Demand forecasting deployed on the local stack as on AWS: the demand and forecast tables on the DynamoDB emulator,
 * {@link DemandIntakeHandler} (the class Lambda runs) behind an event source mapping on the canonical stream with
 * {@code ReportBatchItemFailures} on, and the {@link ForecastScheduleHandler}'s run on demand ({@link #runOnce}), the
 * local stand-in for the daily EventBridge schedule. The forecaster is the real SageMaker runtime client pointed
 * ({@code endpointOverride}) at a model server that answers {@code POST /endpoints/{name}/invocations}.
 */
public final class LocalForecasting implements AutoCloseable {
    /** The local endpoint name (the path segment the SageMaker runtime client sends). */
    public static final String LOCAL_ENDPOINT = "waybill-local-forecast";
    public static final String INTAKE_FUNCTION = "waybill-local-demand-intake";

    private final ForecastFunction function;
    private final ForecastScheduleHandler schedule;
    private final DemandIntakeHandler intakeHandler;
    private final StreamEventSourceMapping mapping;
    private final SageMakerRuntimeClient sagemaker;

    private LocalForecasting(ForecastFunction function, DemandIntakeHandler intakeHandler,
                             StreamEventSourceMapping mapping, SageMakerRuntimeClient sagemaker) {
        this.function = function;
        this.schedule = new ForecastScheduleHandler(function);
        this.intakeHandler = intakeHandler;
        this.mapping = mapping;
        this.sagemaker = sagemaker;
    }

    /** The settings the local stack deploys: tables named as given, the rest from {@code env} or the defaults. */
    public static ForecastEnvironment settings(String demandTable, String forecastTable, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put(ForecastEnvironment.DEMAND_TABLE, demandTable);
        all.put(ForecastEnvironment.FORECAST_TABLE, forecastTable);
        all.putIfAbsent(ForecastEnvironment.ENDPOINT, LOCAL_ENDPOINT);
        all.putIfAbsent(ForecastEnvironment.MODEL_NAME, "waybill-model-server");
        all.putIfAbsent(ForecastEnvironment.MODEL_VERSION, "local");
        return ForecastEnvironment.fromEnvironment(all);
    }

    /** The real SageMaker runtime client against a local model server. */
    public static SageMakerRuntimeClient sageMakerClient(AwsClients clients, URI modelServer) {
        return SageMakerRuntimeClient.builder().endpointOverride(modelServer)
                .region(clients.endpoints().region()).credentialsProvider(clients.endpoints().credentialsProvider())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .socketTimeout(ForecastFunction.INVOCATION_TIMEOUT))
                .build();
    }

    /**
     * Creates the two tables, starts the intake behind the canonical stream's mapping, and points the forecaster at
     * {@code modelServer}.
     *
     * @param canonicalStream the canonical stream's name (it must exist)
     * @param mapping         the mapping's configuration; the function name, {@code ReportBatchItemFailures} and an
     *                        on-failure queue are set here
     * @param modelServer     the model server's base URI, e.g. {@code http://127.0.0.1:8080}
     */
    public static LocalForecasting start(AwsClients clients, String canonicalStream, EventSourceMappingConfig mapping,
                                         ForecastEnvironment settings, URI modelServer) {
        SageMakerRuntimeClient sagemaker = sageMakerClient(clients, modelServer);
        return start(clients, canonicalStream, mapping, settings, ForecastFunction.forecaster(settings, sagemaker),
                sagemaker);
    }

    /** As {@link #start(AwsClients, String, EventSourceMappingConfig, ForecastEnvironment, URI)}, with any forecaster. */
    public static LocalForecasting start(AwsClients clients, String canonicalStream, EventSourceMappingConfig mapping,
                                         ForecastEnvironment settings, DemandForecaster forecaster) {
        return start(clients, canonicalStream, mapping, settings, forecaster, null);
    }

    private static LocalForecasting start(AwsClients clients, String canonicalStream, EventSourceMappingConfig mapping,
                                          ForecastEnvironment settings, DemandForecaster forecaster,
                                          SageMakerRuntimeClient owned) {
        Objects.requireNonNull(clients, "clients");
        StackResources resources = StackResources.using(clients);
        resources.createTable(DynamoDbDemandLedger.definition(settings.demandTable()));
        resources.createTable(DynamoDbForecastStore.definition(settings.forecastTable()));
        ForecastTelemetry telemetry = ForecastTelemetry.logsOnly();
        ForecastFunction function = ForecastFunction.create(settings, clients.dynamoDb(), forecaster,
                Clock.systemUTC(), telemetry);
        DemandIntakeHandler handler = new DemandIntakeHandler(new DemandIntake(function.ledger(), telemetry),
                telemetry);
        StreamEventSourceMapping started = null;
        if (canonicalStream != null) {
            String onFailure = resources.createQueue(INTAKE_FUNCTION + "-on-failure").url();
            started = KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(), canonicalStream,
                    mapping.toBuilder().functionName(INTAKE_FUNCTION).reportBatchItemFailures(true)
                            .onFailureDestinationQueueUrl(onFailure).build(), handler);
        }
        return new LocalForecasting(function, handler, started, owned);
    }

    /** One forecast run as of {@code asOf} (history up to the day before), as the daily schedule runs it. */
    public ForecastRun.Report runOnce(LocalDate asOf) {
        return schedule.runOnce(asOf);
    }

    public ForecastFunction function() {
        return function;
    }

    /** The read model the ops API serves. */
    public DynamoDbForecastStore store() {
        return function.store();
    }

    /** The intake handler, as the canonical stream's mapping invokes it. */
    public DemandIntakeHandler intakeHandler() {
        return intakeHandler;
    }

    /** The mapping, or null when started without a stream. */
    public StreamEventSourceMapping mapping() {
        return mapping;
    }

    @Override
    public void close() {
        if (mapping != null) {
            mapping.close();
        }
        if (sagemaker != null) {
            sagemaker.close();
        }
    }
}
