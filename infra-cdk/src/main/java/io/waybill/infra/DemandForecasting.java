package io.waybill.infra;

import io.waybill.aws.forecast.ForecastTableAccess;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.IgnoreMode;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ecr.assets.DockerImageAsset;
import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sagemaker.CfnEndpoint;
import software.amazon.awscdk.services.sagemaker.CfnEndpointConfig;
import software.amazon.awscdk.services.sagemaker.CfnModel;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Demand forecasting (issue 15), only on a stage whose context has a {@link ForecastingConfig} section:
 * <ul>
 * <li>the <b>model</b>: the model server's image ({@code model-server/}, built from its Dockerfile by
 * {@code cdk deploy} as a {@link DockerImageAsset}, linux/amd64), a SageMaker {@code CfnModel} run by its own
 * execution role (pull that image from the CDK asset repository, write the endpoint's log group), an endpoint
 * configuration with one variant ({@value #VARIANT_NAME}): serverless by default (memory and concurrency from the
 * stage), or instances ({@code serverless: false}); and the endpoint {@code waybill-<stage>-forecast}.</li>
 * <li>the <b>demand</b> table ({@code waybill-<stage>-demand}) and the <b>forecasts</b> table
 * ({@code waybill-<stage>-forecasts}), keys {@code pk}/{@code sk}, no index, both {@link LedgerTable}s with their own
 * customer-managed key, retained per the stage's data policy.</li>
 * <li>the <b>demand intake</b> ({@value #INTAKE_HANDLER}) on the canonical event stream, mapped like every canonical
 * consumer ({@link StreamConsumer}): it turns {@code InventoryObserved}/{@code ShipmentDeparted} into demand
 * history.</li>
 * <li>the <b>forecast run</b> ({@value #RUN_HANDLER}) on the stage's schedule (daily at 02:00 UTC by default), one at
 * a time: reads the history, calls the endpoint, stores forecasts and reorder recommendations.</li>
 * </ul>
 * {@code sagemaker:InvokeEndpoint} is allowed on this endpoint's ARN only, to the run and to the ops API (on-demand
 * forecasts, {@code POST /forecasts/{seriesId}}, {@link OpsApi#servesForecasts}); to nobody else.
 */
public final class DemandForecasting extends Construct {
    public static final String INTAKE_HANDLER = "io.waybill.forecast.DemandIntakeHandler::handleRequest";
    public static final String RUN_HANDLER = "io.waybill.forecast.ForecastScheduleHandler::handleRequest";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;
    public static final String JAR_MODULE = "functions/forecast";
    /** The endpoint configuration's only variant (what the AWS/SageMaker metrics carry as {@code VariantName}). */
    public static final String VARIANT_NAME = "AllTraffic";
    /** What forecasts are stored with ({@code WAYBILL_FORECAST_MODEL_NAME}): the model behind the endpoint. */
    public static final String MODEL_NAME = "waybill-model-server";

    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";

    /** Folding a batch of canonical events into daily demand: the KPI aggregator's sizing. */
    public static final int INTAKE_MEMORY_MB = 512;
    public static final Duration INTAKE_TIMEOUT = Duration.seconds(60);
    /** Demand buckets are updated with ADD; ordering per shard keeps a SKU's observations in order. */
    public static final int INTAKE_PARALLELIZATION_FACTOR = 1;
    /** Thousands of series a run, in batches to the endpoint (60 s each at most). */
    public static final int RUN_MEMORY_MB = 1024;
    public static final Duration RUN_TIMEOUT = Duration.minutes(15);
    /** One run at a time: a late run and the next one would write the same forecasts twice. */
    public static final int RUN_RESERVED_CONCURRENCY = 1;
    /** A daily run still not delivered after an hour waits for the next day's. */
    public static final Duration RUN_MAX_EVENT_AGE = Duration.hours(1);
    public static final String INTAKE_METRICS_SERVICE = "forecast-intake";
    public static final String RUN_METRICS_SERVICE = "forecast-schedule";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;

    // The DynamoDB actions come from the adapters' own declaration (ForecastTableAccess, in functions/aws), which an
    // emulator test checks against the calls each path really sends (ForecastTableAccessOnEmulatorTest).
    /** The intake: contents (batch), departures and demand lines (updates), reads of the other side (queries). */
    static final List<String> INTAKE_DEMAND_ACTIONS = ForecastTableAccess.INTAKE_DEMAND;
    /** The run (schedule): series, histories and first demand days. */
    static final List<String> RUN_DEMAND_ACTIONS = ForecastTableAccess.RUN_DEMAND;
    /** The run: forecasts stored, forecasts due for scoring, accuracy written once. */
    static final List<String> RUN_FORECAST_ACTIONS = ForecastTableAccess.RUN_FORECAST;
    /** The ops API: its reads, and POST /forecasts/{seriesId}, which runs the schedule's code for one series. */
    static final List<String> OPS_DEMAND_ACTIONS = union(ForecastTableAccess.READ_DEMAND, ForecastTableAccess.RUN_DEMAND);
    /** The ops API on the forecast table: reads and the on-demand run. */
    static final List<String> OPS_FORECAST_ACTIONS = union(ForecastTableAccess.READ_FORECAST,
            ForecastTableAccess.RUN_FORECAST);
    /** The only SageMaker action granted, on this endpoint only. */
    static final List<String> INVOKE_ACTIONS = List.of("sagemaker:InvokeEndpoint");
    /** Pulling the model image from the asset repository (the ECR docs' pull actions). */
    static final List<String> IMAGE_PULL_ACTIONS = List.of("ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage");

    public static final String ENV_DEMAND_TABLE = "WAYBILL_DEMAND_TABLE";
    public static final String ENV_FORECAST_TABLE = "WAYBILL_FORECAST_TABLE";
    public static final String ENV_ENDPOINT = "WAYBILL_FORECAST_ENDPOINT";
    public static final String ENV_MODEL_NAME = "WAYBILL_FORECAST_MODEL_NAME";
    public static final String ENV_MODEL_VERSION = "WAYBILL_FORECAST_MODEL_VERSION";
    public static final String ENV_HORIZON_DAYS = "WAYBILL_FORECAST_HORIZON_DAYS";
    public static final String ENV_SERVICE_LEVEL = "WAYBILL_FORECAST_SERVICE_LEVEL";
    public static final String ENV_LEAD_TIME_DAYS = "WAYBILL_FORECAST_LEAD_TIME_DAYS";
    public static final String ENV_HISTORY_DAYS = "WAYBILL_FORECAST_HISTORY_DAYS";
    public static final String ENV_MIN_HISTORY_DAYS = "WAYBILL_FORECAST_MIN_HISTORY_DAYS";
    public static final String ENV_QUANTILES = "WAYBILL_FORECAST_QUANTILES";
    public static final String ENV_SAMPLES = "WAYBILL_FORECAST_SAMPLES";

    private final ForecastingConfig forecasting;
    private final String endpointName;
    private final Key tableKey;
    private final Table demand;
    private final Table forecasts;
    private final DockerImageAsset image;
    private final Role modelRole;
    private final LogGroup endpointLogs;
    private final CfnModel model;
    private final CfnEndpointConfig endpointConfig;
    private final CfnEndpoint endpoint;
    private final Queue intakeFailedBatches;
    private final Function intake;
    private final Alias intakeAlias;
    private final Role intakeRole;
    private final Function run;
    private final Role runRole;
    private final Rule schedule;

    public DemandForecasting(Construct scope, String id, StageConfig config, Path forecastJar, Path modelServerImage,
                             CanonicalEventStream stream, DeadLetterQueues queues) {
        super(scope, id);
        this.forecasting = config.forecasting();
        if (!forecasting.enabled()) {
            throw new IllegalArgumentException("forecasting is off on stage " + config.stage()
                    + " (no context section " + ForecastingConfig.CTX_FORECASTING + ")");
        }
        this.endpointName = config.resourceName("forecast");
        this.tableKey = LedgerTable.key(this, config, "demand history and forecasts", "forecasting");
        this.demand = LedgerTable.in(this, "Demand", config, tableKey).named("demand")
                .partitionKey(PARTITION_KEY).sortKey(SORT_KEY).build();
        this.forecasts = LedgerTable.in(this, "Forecasts", config, tableKey).named("forecasts")
                .partitionKey(PARTITION_KEY).sortKey(SORT_KEY).build();

        // The model: the image cdk deploy builds from model-server/ (synth only stages the directory: no Docker).
        this.image = DockerImageAsset.Builder.create(this, "ModelImage")
                .directory(modelServerImage.toString())
                .ignoreMode(IgnoreMode.DOCKER)
                .platform(Platform.LINUX_AMD64)
                .displayName("Waybill model server")
                .build();
        this.endpointLogs = LogGroup.Builder.create(this, "EndpointLogs")
                .logGroupName("/aws/sagemaker/Endpoints/" + endpointName)
                .retention(JavaFunction.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.modelRole = Role.Builder.create(this, "ModelRole")
                .assumedBy(new ServicePrincipal("sagemaker.amazonaws.com"))
                .description("Waybill " + config.stage() + " forecast model (SageMaker execution role)")
                .build();
        allow(modelRole, IMAGE_PULL_ACTIONS, List.of(image.getRepository().getRepositoryArn()));
        allow(modelRole, List.of("ecr:GetAuthorizationToken"), List.of("*"));
        allow(modelRole, List.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
                List.of(endpointLogs.getLogGroupArn()));
        allow(modelRole, List.of("logs:CreateLogGroup"), List.of("arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":"
                + Aws.ACCOUNT_ID + ":log-group:/aws/sagemaker/Endpoints/" + endpointName));
        this.model = CfnModel.Builder.create(this, "Model")
                .executionRoleArn(modelRole.getRoleArn())
                .primaryContainer(CfnModel.ContainerDefinitionProperty.builder()
                        .image(image.getImageUri())
                        .mode("SingleModel")
                        .build())
                // Serverless inference does not support network isolation; on instances the server needs no network.
                .enableNetworkIsolation(!forecasting.serverless())
                .build();
        // CreateModel checks the role can pull the image: the role's policy must exist first.
        model.getNode().addDependency(modelRole);

        CfnEndpointConfig.ProductionVariantProperty.Builder variant = CfnEndpointConfig.ProductionVariantProperty
                .builder()
                .variantName(VARIANT_NAME)
                .modelName(model.getAttrModelName());
        if (forecasting.serverless()) {
            CfnEndpointConfig.ServerlessConfigProperty.Builder serverless = CfnEndpointConfig.ServerlessConfigProperty
                    .builder()
                    .memorySizeInMb(forecasting.memoryMb())
                    .maxConcurrency(forecasting.maxConcurrency());
            if (forecasting.provisionedConcurrency() > 0) {
                serverless.provisionedConcurrency(forecasting.provisionedConcurrency());
            }
            variant.serverlessConfig(serverless.build());
        } else {
            variant.instanceType(forecasting.instanceType())
                    .initialInstanceCount(forecasting.instanceCount())
                    .initialVariantWeight(1);
        }
        this.endpointConfig = CfnEndpointConfig.Builder.create(this, "EndpointConfig")
                .productionVariants(List.of(variant.build()))
                .build();
        this.endpoint = CfnEndpoint.Builder.create(this, "Endpoint")
                .endpointName(endpointName)
                .endpointConfigName(endpointConfig.getAttrEndpointConfigName())
                .build();
        endpoint.getNode().addDependency(endpointLogs);

        this.intakeFailedBatches = Queue.Builder.create(this, "IntakeFailedBatches")
                .queueName(config.resourceName("forecast-intake-failed-batches"))
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(queues.key())
                .enforceSsl(true)
                .retentionPeriod(DeadLetterQueues.RETENTION)
                .maxMessageSizeBytes(DeadLetterQueues.MAX_MESSAGE_SIZE_BYTES)
                .build();

        Construct intakeScope = new Construct(this, "Intake");
        JavaFunction intakeFunction = JavaFunction.in(intakeScope, config.resourceName("forecast-intake"))
                .roleDescription("Waybill " + config.stage() + " demand intake function")
                .description("Canonical event stream -> daily demand per SKU and location")
                .handler(INTAKE_HANDLER)
                .code(forecastJar, JAR_MODULE)
                .memoryMb(INTAKE_MEMORY_MB)
                .timeout(INTAKE_TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(environment(INTAKE_METRICS_SERVICE))
                .build();
        this.intake = intakeFunction.function();
        this.intakeAlias = intakeFunction.alias();
        this.intakeRole = intakeFunction.role();
        allow(intakeRole, INTAKE_DEMAND_ACTIONS, List.of(demand.getTableArn()));
        KeyUse.allow(intakeRole, tableKey, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        StreamConsumer.attach(intakeAlias, stream, intakeFailedBatches, queues.key(), INTAKE_PARALLELIZATION_FACTOR);

        Construct runScope = new Construct(this, "Run");
        String runName = config.resourceName("forecast-schedule");
        JavaFunction runFunction = JavaFunction.in(runScope, runName)
                .roleDescription("Waybill " + config.stage() + " forecast run function")
                .description("On schedule: demand history -> SageMaker endpoint -> forecasts and reorder points")
                .handler(RUN_HANDLER)
                .code(forecastJar, JAR_MODULE)
                .memoryMb(RUN_MEMORY_MB)
                .timeout(RUN_TIMEOUT)
                .reservedConcurrency(RUN_RESERVED_CONCURRENCY)
                .environment(environment(RUN_METRICS_SERVICE))
                .build();
        this.run = runFunction.function();
        this.runRole = runFunction.role();
        allow(runRole, RUN_DEMAND_ACTIONS, List.of(demand.getTableArn()));
        allow(runRole, RUN_FORECAST_ACTIONS, List.of(forecasts.getTableArn()));
        KeyUse.allow(runRole, tableKey, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        grantInvoke(runRole);
        this.schedule = FunctionSchedule.on(runScope, Schedule.expression(forecasting.schedule()), RUN_MAX_EVENT_AGE,
                run, runName, "Forecast demand per SKU and location: " + forecasting.schedule());
    }

    /**
     * What the forecast functions and the ops API read ({@code WAYBILL_DEMAND_TABLE} ...
     * {@code WAYBILL_FORECAST_SAMPLES}). The model version is the project's and the image's content hash: a
     * forecast names the exact image that made it.
     */
    Map<String, String> forecastEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_DEMAND_TABLE, demand.getTableName());
        env.put(ENV_FORECAST_TABLE, forecasts.getTableName());
        env.put(ENV_ENDPOINT, endpointName);
        env.put(ENV_MODEL_NAME, MODEL_NAME);
        env.put(ENV_MODEL_VERSION, modelVersion());
        env.put(ENV_HORIZON_DAYS, Integer.toString(forecasting.horizonDays()));
        env.put(ENV_SERVICE_LEVEL, forecasting.serviceLevelText());
        env.put(ENV_LEAD_TIME_DAYS, Integer.toString(forecasting.leadTimeDays()));
        env.put(ENV_HISTORY_DAYS, Integer.toString(forecasting.historyDays()));
        env.put(ENV_MIN_HISTORY_DAYS, Integer.toString(forecasting.minHistoryDays()));
        env.put(ENV_QUANTILES, forecasting.quantilesText());
        env.put(ENV_SAMPLES, Integer.toString(forecasting.samples()));
        return env;
    }

    private Map<String, String> environment(String service) {
        Map<String, String> env = forecastEnvironment();
        env.put("POWERTOOLS_SERVICE_NAME", service);
        env.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
        return env;
    }

    /** {@code <project version>+<first 12 hex digits of the image asset's hash>}. */
    public String modelVersion() {
        return BuildArtifacts.projectVersion() + "+" + image.getAssetHash().substring(0, 12);
    }

    /** {@code sagemaker:InvokeEndpoint} on this endpoint only. */
    private void grantInvoke(IGrantable caller) {
        allow(caller, INVOKE_ACTIONS, List.of(endpoint.getAttrEndpointArn()));
    }

    /**
     * The ops API's forecast routes: reads of both tables, the on-demand run's write of a forecast and its endpoint
     * call.
     */
    void grantOpsApi(IGrantable opsApi) {
        allow(opsApi, OPS_DEMAND_ACTIONS, List.of(demand.getTableArn()));
        allow(opsApi, OPS_FORECAST_ACTIONS, List.of(forecasts.getTableArn()));
        KeyUse.allow(opsApi, tableKey, KeyUse.DYNAMODB, "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
        grantInvoke(opsApi);
    }

    private static List<String> union(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().sorted().toList();
    }

    private static void allow(IGrantable grantee, List<String> actions, List<String> resources) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build());
    }

    public ForecastingConfig forecasting() {
        return forecasting;
    }

    public String endpointName() {
        return endpointName;
    }

    public Key tableKey() {
        return tableKey;
    }

    public Table demand() {
        return demand;
    }

    public Table forecasts() {
        return forecasts;
    }

    public DockerImageAsset image() {
        return image;
    }

    public Role modelRole() {
        return modelRole;
    }

    public LogGroup endpointLogs() {
        return endpointLogs;
    }

    public CfnModel model() {
        return model;
    }

    public CfnEndpointConfig endpointConfig() {
        return endpointConfig;
    }

    public CfnEndpoint endpoint() {
        return endpoint;
    }

    public Queue intakeFailedBatches() {
        return intakeFailedBatches;
    }

    public Function intake() {
        return intake;
    }

    public Alias intakeAlias() {
        return intakeAlias;
    }

    public Role intakeRole() {
        return intakeRole;
    }

    public Function run() {
        return run;
    }

    public Role runRole() {
        return runRole;
    }

    public Rule schedule() {
        return schedule;
    }
}
