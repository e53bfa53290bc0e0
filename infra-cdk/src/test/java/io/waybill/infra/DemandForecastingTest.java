package io.waybill.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.FunctionAssertions.assertRetriesWithoutLimitUntilRecordAge;
import static io.waybill.infra.FunctionAssertions.assertScheduleInvokes;
import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, production wiring: the SageMaker model from the model server's image asset, the endpoint configuration
 * (serverless from the stage's memory and concurrency, or instances), the endpoint, the demand and forecast tables, the
 * demand intake on the canonical stream, the scheduled forecast run, the ops API's forecast grants, the alarms and
 * outputs; {@code sagemaker:InvokeEndpoint} on that endpoint only, to the run and the ops API only. Both stages go
 * through {@link WaybillApp#compose} (cdk-nag included) with the real jars (the reactor builds functions/forecast and
 * model-server first) and without Docker: synth only stages the image's build context.
 */
class DemandForecastingTest {
    /** Written out by hand: the values the endpoint configuration and the functions' environment must carry. */
    static final Map<String, Object> SERVERLESS_SECTION = Map.of(
            "memoryMb", 3072,
            "maxConcurrency", 10,
            "provisionedConcurrency", 2,
            "schedule", "cron(30 3 * * ? *)",
            "serviceLevel", 0.98,
            "leadTimeDays", 10,
            "horizonDays", 42,
            "quantiles", List.of(0.05, 0.5, 0.95, 0.98),
            "samples", 200);
    /** As -c forecasting='...' gives it: a JSON string. */
    static final String INSTANCE_SECTION = "{\"serverless\":false,\"instanceType\":\"ml.c5.xlarge\",\"instanceCount\":2}";

    private static SynthesizedStacks.Synthesized serverless;
    private static SynthesizedStacks.Synthesized instances;
    private static DemandForecasting fc;

    @BeforeAll
    static void synthesize() {
        serverless = synthesize("forecast-sl", Map.of("stage", "fc", ForecastingConfig.CTX_FORECASTING,
                SERVERLESS_SECTION));
        instances = synthesize("forecast-inst", Map.of("stage", "fci", "retainData", "false",
                ForecastingConfig.CTX_FORECASTING, INSTANCE_SECTION));
        fc = serverless.stack().forecasting().orElseThrow();
    }

    private static SynthesizedStacks.Synthesized synthesize(String name, Map<String, Object> context) {
        Path outdir = SynthesizedStacks.outdir(name);
        App app = new App(AppProps.builder().outdir(outdir.toString()).context(new HashMap<>(context)).build());
        WaybillStack stack = WaybillApp.compose(app, Map.of());
        var assembly = app.synth();
        return new SynthesizedStacks.Synthesized(app, stack,
                software.amazon.awscdk.assertions.Template.fromStack(stack), assembly, outdir);
    }

    private static Object arn(SynthesizedStacks.Synthesized s, software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(s.logicalId(construct), "Arn"));
    }

    private static Object ref(SynthesizedStacks.Synthesized s, software.constructs.IConstruct construct) {
        return Map.of("Ref", s.logicalId(construct));
    }

    private static Map<String, Object> environment(SynthesizedStacks.Synthesized s, software.constructs.IConstruct fn) {
        return asMap(asMap(s.properties(fn).get("Environment")).get("Variables"));
    }

    @Test
    void aStageWithoutTheSectionHasNoForecastingResourcesAtAll() {
        SynthesizedStacks.Synthesized dev = SynthesizedStacks.dev();
        assertThat(dev.stack().forecasting()).isEmpty();
        for (String type : List.of("AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig",
                "AWS::SageMaker::Endpoint")) {
            assertThat(dev.resources(type)).as(type).isEmpty();
        }
        assertThat(dev.template().toJSON().toString()).doesNotContain("WAYBILL_FORECAST_").doesNotContain("sagemaker");
    }

    @Test
    void serverlessEndpointConfigTakesMemoryAndConcurrencyFromTheStage() {
        Map<String, Object> config = serverless.onlyProperties("AWS::SageMaker::EndpointConfig");
        assertThat(asList(config.get("ProductionVariants"))).singleElement().satisfies(v -> assertThat(asMap(v))
                .isEqualTo(Map.of(
                        "VariantName", "AllTraffic",
                        "ModelName", Map.of("Fn::GetAtt", List.of(serverless.logicalId(fc.model()), "ModelName")),
                        "ServerlessConfig", Map.of("MemorySizeInMB", 3072, "MaxConcurrency", 10,
                                "ProvisionedConcurrency", 2))));
        assertThat(serverless.onlyProperties("AWS::SageMaker::Endpoint"))
                .containsEntry("EndpointName", "waybill-fc-forecast")
                .containsEntry("EndpointConfigName",
                        Map.of("Fn::GetAtt", List.of(serverless.logicalId(fc.endpointConfig()), "EndpointConfigName")));
        // serverless inference refuses network isolation
        assertThat(serverless.onlyProperties("AWS::SageMaker::Model")).containsEntry("EnableNetworkIsolation", false);
    }

    @Test
    void withServerlessFalseTheVariantRunsOnInstancesIsolatedFromTheNetwork() {
        DemandForecasting f = instances.stack().forecasting().orElseThrow();
        Map<String, Object> config = instances.onlyProperties("AWS::SageMaker::EndpointConfig");
        assertThat(asList(config.get("ProductionVariants"))).singleElement().satisfies(v -> assertThat(asMap(v))
                .isEqualTo(Map.of(
                        "VariantName", "AllTraffic",
                        "ModelName", Map.of("Fn::GetAtt", List.of(instances.logicalId(f.model()), "ModelName")),
                        "InstanceType", "ml.c5.xlarge",
                        "InitialInstanceCount", 2,
                        "InitialVariantWeight", 1)));
        assertThat(instances.onlyProperties("AWS::SageMaker::Model")).containsEntry("EnableNetworkIsolation", true);
        // defaults of the other settings: written out from the README's table
        assertThat(environment(instances, f.run())).containsEntry("WAYBILL_FORECAST_HORIZON_DAYS", "28")
                .containsEntry("WAYBILL_FORECAST_SERVICE_LEVEL", "0.95")
                .containsEntry("WAYBILL_FORECAST_LEAD_TIME_DAYS", "7")
                .containsEntry("WAYBILL_FORECAST_QUANTILES", "0.1,0.5,0.9")
                .containsEntry("WAYBILL_FORECAST_SAMPLES", "200");
        assertScheduleInvokes(instances, f.schedule(), f.run(), "cron(0 2 * * ? *)", "waybill-fci-forecast-schedule",
                3600);
    }

    @Test
    void theModelRunsTheModelServerImageBuiltFromItsDirectoryAtDeployTime() throws IOException {
        Map<String, Object> model = serverless.onlyProperties("AWS::SageMaker::Model");
        assertThat(model).containsEntry("ExecutionRoleArn", arn(serverless, fc.modelRole()));
        Map<String, Object> container = asMap(model.get("PrimaryContainer"));
        assertThat(container).containsEntry("Mode", "SingleModel");
        String hash = fc.image().getAssetHash();
        // the CDK asset repository's image tagged with the asset's hash
        assertThat(container.get("Image").toString()).contains("container-assets").contains(":" + hash);

        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(serverless.outdir()
                .resolve(serverless.stack().getStackName() + ".assets.json").toFile());
        var source = manifest.path("dockerImages").path(hash).path("source");
        assertThat(source.path("platform").asText()).isEqualTo("linux/amd64");
        Path staged = serverless.outdir().resolve(source.path("directory").asText());
        // the build context as the daemon gets it: the Dockerfile and the shaded jar, nothing of the sources
        try (Stream<Path> files = Files.walk(staged)) {
            Set<String> names = files.filter(Files::isRegularFile).map(p -> staged.relativize(p).toString())
                    .collect(Collectors.toSet());
            assertThat(names).containsExactlyInAnyOrder("Dockerfile", ".dockerignore", "target/waybill-model-server.jar");
        }
        assertThat(Files.readString(staged.resolve("Dockerfile")))
                .contains("COPY target/waybill-model-server.jar /opt/program/waybill-model-server.jar")
                .contains("EXPOSE 8080").contains("CMD [\"serve\"]");
    }

    @Test
    void theModelRoleMayPullItsImageAndWriteTheEndpointLogsAndNothingElse() {
        Map<String, Object> role = serverless.properties(fc.modelRole());
        assertThat(role.get("AssumeRolePolicyDocument").toString()).contains("sagemaker.amazonaws.com");
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
        var statements = serverless.policyStatements(fc.modelRole());
        assertThat(statements).allSatisfy(st -> assertThat(st.effect()).isEqualTo("Allow"));
        Map<Set<String>, List<Object>> byActions = statements.stream().collect(Collectors.toMap(
                st -> Set.copyOf(st.actions()), SynthesizedStacks.Statement::resources));
        assertThat(byActions).hasSize(4);
        assertThat(byActions.get(Set.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
                "ecr:BatchGetImage"))).singleElement().satisfies(r -> assertThat(r.toString())
                .contains("repository/").contains("container-assets"));
        assertThat(byActions.get(Set.of("ecr:GetAuthorizationToken"))).containsExactly("*");
        assertThat(byActions.get(Set.of("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams")))
                .containsExactly(arn(serverless, fc.endpointLogs()));
        assertThat(serverless.properties(fc.endpointLogs()))
                .containsEntry("LogGroupName", "/aws/sagemaker/Endpoints/waybill-fc-forecast")
                .containsEntry("RetentionInDays", 30);
    }

    @Test
    void onlyTheRunAndTheOpsApiMayInvokeAndOnlyThisEndpoint() {
        for (var s : List.of(serverless, instances)) {
            DemandForecasting f = s.stack().forecasting().orElseThrow();
            Object endpointArn = Map.of("Fn::GetAtt", List.of(s.logicalId(f.endpoint()), "EndpointArn"));
            Set<Object> invokers = new java.util.HashSet<>();
            s.resources("AWS::IAM::Policy").values().stream().map(r -> asMap(r.get("Properties"))).forEach(p -> {
                asList(asMap(p.get("PolicyDocument")).get("Statement")).stream().map(SynthesizedStacks::asMap)
                        .filter(st -> actions(st).stream().anyMatch(a -> a.startsWith("sagemaker:") || a.equals("*")))
                        .forEach(st -> {
                            assertThat(actions(st)).containsExactly("sagemaker:InvokeEndpoint");
                            assertThat(st.get("Resource")).isEqualTo(endpointArn);
                            invokers.addAll(asList(p.get("Roles")));
                        });
            });
            assertThat(invokers).containsExactlyInAnyOrder(ref(s, f.runRole()), ref(s, s.stack().opsApi().role()));
        }
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of(action.toString());
    }

    @Test
    void demandAndForecastTablesAreKeyedByPkAndSkRecoverableEncryptedAndRetainedPerTheStage() {
        for (var table : List.of(fc.demand(), fc.forecasts())) {
            Map<String, Object> resource = serverless.resource(table);
            assertThat(resource).containsEntry("DeletionPolicy", "Retain");
            Map<String, Object> p = asMap(resource.get("Properties"));
            assertThat(p).containsEntry("BillingMode", "PAY_PER_REQUEST")
                    .containsEntry("KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                            Map.of("AttributeName", "sk", "KeyType", "RANGE")))
                    .doesNotContainKey("GlobalSecondaryIndexes");
            assertThat(SynthesizedStacks.attributeTypes(p)).isEqualTo(Map.of("pk", "S", "sk", "S"));
            assertThat(asMap(p.get("PointInTimeRecoverySpecification")))
                    .containsEntry("PointInTimeRecoveryEnabled", true);
            assertThat(asMap(p.get("SSESpecification"))).containsEntry("SSEEnabled", true)
                    .containsEntry("KMSMasterKeyId", arn(serverless, fc.tableKey()));
        }
        assertThat(serverless.properties(fc.demand())).containsEntry("TableName", "waybill-fc-demand");
        assertThat(serverless.properties(fc.forecasts())).containsEntry("TableName", "waybill-fc-forecasts");
        // retainData=false: removed with the stack
        DemandForecasting f = instances.stack().forecasting().orElseThrow();
        assertThat(instances.resource(f.demand())).containsEntry("DeletionPolicy", "Delete");
        assertThat(instances.resource(f.forecasts())).containsEntry("DeletionPolicy", "Delete");
    }

    @Test
    void theIntakeConsumesTheCanonicalStreamLikeTheOtherConsumers() {
        Map<String, Object> mapping = serverless.mappingOn(fc.intakeAlias());
        assertThat(mapping).containsEntry("EventSourceArn", arn(serverless, serverless.stack().canonicalEvents().stream()))
                .containsEntry("StartingPosition", "TRIM_HORIZON").containsEntry("BatchSize", 100)
                .containsEntry("ParallelizationFactor", 1);
        assertReportsBatchItemFailures(mapping);
        // the canonical stream keeps a week: 168 h * 3600 = 604,800 s, less the hour's margin = 601,200 s
        assertRetriesWithoutLimitUntilRecordAge(mapping, 601_200);
        assertExhaustedBatchesGoTo(serverless, mapping, fc.intakeFailedBatches());
        assertThat(serverless.properties(fc.intake()))
                .containsEntry("Handler", "io.waybill.forecast.DemandIntakeHandler::handleRequest")
                .containsEntry("FunctionName", "waybill-fc-forecast-intake");
        assertThat(serverless.properties(fc.intakeFailedBatches()))
                .containsEntry("QueueName", "waybill-fc-forecast-intake-failed-batches");
    }

    @Test
    void theRunIsOneAtATimeOnTheStagesSchedule() {
        assertThat(serverless.properties(fc.run()))
                .containsEntry("Handler", "io.waybill.forecast.ForecastScheduleHandler::handleRequest")
                .containsEntry("ReservedConcurrentExecutions", 1)
                .containsEntry("Timeout", 900)
                .containsEntry("FunctionName", "waybill-fc-forecast-schedule");
        assertScheduleInvokes(serverless, fc.schedule(), fc.run(), "cron(30 3 * * ? *)",
                "waybill-fc-forecast-schedule", 3600);
    }

    @Test
    void theFunctionsAndTheOpsApiGetEveryForecastSettingFromTheStageSection() {
        Map<String, Object> expected = Map.ofEntries(
                Map.entry("WAYBILL_DEMAND_TABLE", ref(serverless, fc.demand())),
                Map.entry("WAYBILL_FORECAST_TABLE", ref(serverless, fc.forecasts())),
                Map.entry("WAYBILL_FORECAST_ENDPOINT", "waybill-fc-forecast"),
                Map.entry("WAYBILL_FORECAST_MODEL_NAME", "waybill-model-server"),
                Map.entry("WAYBILL_FORECAST_MODEL_VERSION", BuildArtifacts.projectVersion() + "+"
                        + fc.image().getAssetHash().substring(0, 12)),
                Map.entry("WAYBILL_FORECAST_HORIZON_DAYS", "42"),
                Map.entry("WAYBILL_FORECAST_SERVICE_LEVEL", "0.98"),
                Map.entry("WAYBILL_FORECAST_LEAD_TIME_DAYS", "10"),
                Map.entry("WAYBILL_FORECAST_HISTORY_DAYS", "364"),
                Map.entry("WAYBILL_FORECAST_MIN_HISTORY_DAYS", "28"),
                Map.entry("WAYBILL_FORECAST_QUANTILES", "0.05,0.5,0.95,0.98"),
                Map.entry("WAYBILL_FORECAST_SAMPLES", "200"));
        Map<String, Object> run = new HashMap<>(expected);
        run.put("POWERTOOLS_SERVICE_NAME", "forecast-schedule");
        run.put("POWERTOOLS_METRICS_NAMESPACE", "Waybill");
        assertThat(environment(serverless, fc.run())).isEqualTo(run);
        Map<String, Object> intake = new HashMap<>(expected);
        intake.put("POWERTOOLS_SERVICE_NAME", "forecast-intake");
        intake.put("POWERTOOLS_METRICS_NAMESPACE", "Waybill");
        assertThat(environment(serverless, fc.intake())).isEqualTo(intake);
        assertThat(environment(serverless, serverless.stack().opsApi().function())).containsAllEntriesOf(expected);
    }

    @Test
    void eachRoleMayDoWhatItsPartOfTheForecastNeedsOnEachTable() {
        Object demand = arn(serverless, fc.demand());
        Object forecasts = arn(serverless, fc.forecasts());
        // What each path sends, as recorded on dynalite by ForecastTableAccessOnEmulatorTest, written out here.
        assertThat(tableActions(fc.intakeRole(), demand)).containsExactlyInAnyOrder("dynamodb:BatchWriteItem",
                "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem");
        assertThat(tableActions(fc.intakeRole(), forecasts)).isEmpty();
        assertThat(serverless.policyStatements(fc.intakeRole())).flatExtracting(SynthesizedStacks.Statement::actions)
                .noneMatch(a -> a.startsWith("sagemaker:"));
        assertThat(tableActions(fc.runRole(), demand)).containsExactlyInAnyOrder("dynamodb:GetItem",
                "dynamodb:Query");
        assertThat(tableActions(fc.runRole(), forecasts)).containsExactlyInAnyOrder("dynamodb:PutItem",
                "dynamodb:Query", "dynamodb:UpdateItem");
        var ops = serverless.stack().opsApi().role();
        assertThat(tableActions(ops, demand)).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:Query");
        assertThat(tableActions(ops, forecasts)).containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:Query",
                "dynamodb:UpdateItem");
        // the tables' key only through DynamoDB
        for (var role : List.of(fc.intakeRole(), fc.runRole(), ops)) {
            assertThat(serverless.policyStatements(role))
                    .filteredOn(st -> st.resources().contains(arn(serverless, fc.tableKey()))).isNotEmpty()
                    .allSatisfy(st -> assertThat(st.actions()).allMatch(a -> a.startsWith("kms:")));
        }
        List<Object> keyStatements = serverless.resources("AWS::IAM::Policy").values().stream()
                .map(r -> asMap(r.get("Properties")))
                .flatMap(p -> asList(asMap(p.get("PolicyDocument")).get("Statement")).stream())
                .map(SynthesizedStacks::asMap)
                .filter(st -> st.get("Resource").equals(arn(serverless, fc.tableKey())))
                .map(st -> st.get("Condition")).toList();
        assertThat(keyStatements).isNotEmpty().allSatisfy(c -> assertThat(c.toString())
                .contains("kms:ViaService").contains("dynamodb."));
    }

    private static List<String> tableActions(software.amazon.awscdk.services.iam.IRole role, Object tableArn) {
        return serverless.policyStatements(role).stream().filter(st -> st.resources().contains(tableArn))
                .flatMap(st -> st.actions().stream()).toList();
    }

    @Test
    void alarmsWatchTheIntakeTheRunAndTheEndpoint() {
        var alarms = serverless.resources("AWS::CloudWatch::Alarm").values().stream()
                .map(r -> asMap(r.get("Properties"))).toList();
        Object endpointDimensions = List.of(Map.of("Name", "EndpointName", "Value", "waybill-fc-forecast"),
                Map.of("Name", "VariantName", "Value", "AllTraffic"));
        assertThat(alarms).filteredOn(a -> "Invocation5XXErrors".equals(a.get("MetricName"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("Namespace", "AWS/SageMaker")
                        .containsEntry("Statistic", "Sum").containsEntry("Threshold", 1)
                        .containsEntry("Period", 300)
                        .containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold"))
                .satisfies(a -> assertThat(Set.copyOf(asList(a.get("Dimensions"))))
                        .isEqualTo(Set.copyOf(asList(endpointDimensions))));
        // ModelLatency is in microseconds: 30 s = 30,000,000
        assertThat(alarms).filteredOn(a -> "ModelLatency".equals(a.get("MetricName"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("Namespace", "AWS/SageMaker")
                        .containsEntry("ExtendedStatistic", "p99").containsEntry("Threshold", 30_000_000)
                        .containsEntry("EvaluationPeriods", 3).containsEntry("DatapointsToAlarm", 3));
        Object intakeName = ref(serverless, fc.intake());
        assertThat(alarms).filteredOn(a -> "IteratorAge".equals(a.get("MetricName")))
                .filteredOn(a -> a.get("Dimensions").toString().contains(intakeName.toString())).hasSize(1);
        Object runName = ref(serverless, fc.run());
        assertThat(alarms).filteredOn(a -> "Errors".equals(a.get("MetricName")))
                .filteredOn(a -> a.get("Dimensions").toString().contains(runName.toString())).hasSize(1);
        assertThat(alarms).filteredOn(a -> a.get("Dimensions") != null
                        && a.get("Dimensions").toString().contains(serverless.logicalId(fc.intakeFailedBatches())))
                .hasSize(1);
    }

    @Test
    void outputsNameTheEndpointAndTheTables() {
        var outputs = asMap(asMap(serverless.template().toJSON()).get("Outputs"));
        assertThat(asMap(outputs.get("ForecastEndpointName"))).containsEntry("Value", "waybill-fc-forecast")
                .containsEntry("Export", Map.of("Name", "waybill-fc-forecast-endpoint-name"));
        assertThat(asMap(outputs.get("DemandTableName"))).containsEntry("Value", ref(serverless, fc.demand()));
        assertThat(asMap(outputs.get("ForecastTableName"))).containsEntry("Value", ref(serverless, fc.forecasts()));
    }

    @Test
    void cdkNagReportsNothingUnsuppressedOnForecastingStages() {
        for (var s : List.of(serverless, instances)) {
            assertThat(Annotations.fromStack(s.stack()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(s.stack().getStackName()).isEmpty();
            assertThat(Annotations.fromStack(s.stack()).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(s.stack().getStackName()).isEmpty();
        }
    }
}
