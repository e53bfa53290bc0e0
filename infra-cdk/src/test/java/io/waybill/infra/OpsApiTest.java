package io.waybill.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.waybill.opsapi.OpsApiSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ops API as synthesised (issue 13, "One contract" and "CDK"): the routes API Gateway serves are exactly the
 * operations of the OpenAPI document, each behind the JWT authorizer with the document's scopes; the function, stage,
 * user pool and alarms.
 */
class OpsApiTest {
    private static SynthesizedStacks.Synthesized dev;
    private static OpsApi ops;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        ops = dev.stack().opsApi();
    }

    private static Object arn(software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(dev.logicalId(construct), "Arn"));
    }

    /** The actions of the role's statements on the resource, as often as they are granted (no merging). */
    private static List<String> actionsOn(software.amazon.awscdk.services.iam.IRole role, Object resource) {
        return dev.policyStatements(role).stream().filter(s -> s.resources().contains(resource))
                .flatMap(s -> s.actions().stream()).toList();
    }

    /**
     * The document read here with Jackson YAML, independently of {@link ApiContract}: route key -> the scopes a
     * Cognito token carries for the operation's security requirement (its own, else the document's), i.e.
     * {@code waybill/<scope>}.
     */
    private static Map<String, Set<String>> documentOperations() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(SynthesizedStacks.repoRoot()
                .resolve("functions/ops-api/src/main/resources/waybill/openapi/ops-api.yaml").toFile());
        Map<String, Set<String>> expected = new TreeMap<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!List.of("get", "put", "post", "delete", "patch", "head", "options").contains(op.getKey())) {
                return;
            }
            JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : doc.get("security");
            Set<String> scopes = new TreeSet<>();
            security.forEach(req -> req.get("opsJwt").forEach(s -> scopes.add("waybill/" + s.asText())));
            expected.put(op.getKey().toUpperCase() + " " + path.getKey(), scopes);
        }));
        return expected;
    }

    /** The synthesised routes: RouteKey -> AuthorizationScopes. */
    private static Map<String, Set<String>> synthesizedRoutes() {
        Map<String, Set<String>> routes = new TreeMap<>();
        dev.resources("AWS::ApiGatewayV2::Route").values().forEach(r -> {
            Map<String, Object> p = asMap(r.get("Properties"));
            Object scopes = p.get("AuthorizationScopes");
            routes.put(p.get("RouteKey").toString(), scopes == null ? Set.of()
                    : new TreeSet<>(asList(scopes).stream().map(Object::toString).toList()));
        });
        return routes;
    }

    @Test
    void theDeployedRoutesAreExactlyTheDocumentsOperationsWithItsScopes() throws Exception {
        Map<String, Set<String>> expected = documentOperations();
        // Not vacuous: this slice's document, written out by hand (functions/ops-api/README.md's table).
        assertThat(expected).containsEntry("GET /shipments", Set.of("waybill/ops.read"))
                .containsEntry("GET /health", Set.of("waybill/ops.read"))
                .containsEntry("POST /incidents/{incidentId}/acknowledge", Set.of("waybill/ops.read", "waybill/ops.write"))
                .containsEntry("GET /dashboard", Set.of()).containsEntry("GET /dashboard/{asset}", Set.of())
                .hasSizeGreaterThanOrEqualTo(10);
        assertThat(synthesizedRoutes()).isEqualTo(expected);
    }

    /** The dashboard's two routes, written out: the only operations the document serves without a token. */
    private static final Set<String> ANONYMOUS = Set.of("GET /dashboard", "GET /dashboard/{asset}");

    @Test
    void theDashboardRoutesHaveNoAuthorizerAndTheirNagFindingIsJustified() throws Exception {
        // the document's anonymous operations (security: [], read above independently of ApiContract) are these two
        assertThat(documentOperations().entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
                .toList()).containsExactlyInAnyOrderElementsOf(ANONYMOUS);
        Map<String, Map<String, Object>> routes = new TreeMap<>();
        dev.resources("AWS::ApiGatewayV2::Route").forEach((id, r) -> routes.put(
                asMap(r.get("Properties")).get("RouteKey").toString(), r));
        for (String key : ANONYMOUS) {
            Map<String, Object> route = routes.get(key);
            assertThat(route).as(key).isNotNull();
            assertThat(asMap(route.get("Properties"))).containsEntry("AuthorizationType", "NONE")
                    .doesNotContainKey("AuthorizerId").doesNotContainKey("AuthorizationScopes");
            assertThat(route.get("Metadata").toString()).contains("AwsSolutions-APIG4", "dashboard");
        }
    }

    @Test
    void everyRouteNeedsTheJwtAuthorizerOfTheUserPoolAndInvokesTheFunctionsLiveAlias() {
        String authorizer = dev.resources("AWS::ApiGatewayV2::Authorizer").keySet().iterator().next();
        String integration = dev.resources("AWS::ApiGatewayV2::Integration").keySet().iterator().next();
        assertThat(dev.resources("AWS::ApiGatewayV2::Authorizer")).hasSize(1);
        assertThat(dev.resources("AWS::ApiGatewayV2::Integration")).hasSize(1);
        assertThat(dev.resources("AWS::ApiGatewayV2::Route").values()).isNotEmpty()
                .filteredOn(r -> !ANONYMOUS.contains(asMap(r.get("Properties")).get("RouteKey").toString()))
                .hasSize(dev.resources("AWS::ApiGatewayV2::Route").size() - ANONYMOUS.size())
                .allSatisfy(r -> assertThat(asMap(r.get("Properties")))
                .containsEntry("AuthorizationType", "JWT")
                .containsEntry("AuthorizerId", Map.of("Ref", authorizer))
                .containsEntry("Target", Map.of("Fn::Join", List.of("", List.of("integrations/",
                        Map.of("Ref", integration))))));
        Map<String, Object> jwt = asMap(dev.resources("AWS::ApiGatewayV2::Authorizer").get(authorizer).get("Properties"));
        assertThat(jwt).containsEntry("AuthorizerType", "JWT")
                .containsEntry("IdentitySource", List.of("$request.header.Authorization"));
        Map<String, Object> config = asMap(jwt.get("JwtConfiguration"));
        assertThat(config.get("Audience")).isEqualTo(List.of(Map.of("Ref", dev.logicalId(ops.client()))));
        assertThat(config.get("Issuer").toString()).contains("cognito-idp.").contains(dev.logicalId(ops.userPool()));
        Map<String, Object> target = asMap(dev.resources("AWS::ApiGatewayV2::Integration").get(integration)
                .get("Properties"));
        assertThat(target).containsEntry("IntegrationType", "AWS_PROXY").containsEntry("PayloadFormatVersion", "2.0");
        assertThat(target.get("IntegrationUri")).isEqualTo(Map.of("Ref", dev.logicalId(ops.alias())));
        // API Gateway may invoke the alias, one permission per route, each for its own path only
        assertThat(dev.resources("AWS::Lambda::Permission").values()).map(p -> asMap(p.get("Properties")))
                .filteredOn(p -> "apigateway.amazonaws.com".equals(p.get("Principal")))
                .hasSize(dev.resources("AWS::ApiGatewayV2::Route").size())
                .allSatisfy(p -> assertThat(p).containsEntry("FunctionName", Map.of("Ref", dev.logicalId(ops.alias())))
                        .containsEntry("Action", "lambda:InvokeFunction"));
    }

    @Test
    void theDefaultStageIsThrottledFromTheStageConfigAndLogsEveryRequest() {
        Map<String, Object> stage = dev.properties(ops.stage());
        assertThat(stage).containsEntry("StageName", "$default").containsEntry("AutoDeploy", true);
        // StageConfig's documented defaults: 50 burst, 25 per second
        assertThat(asMap(stage.get("DefaultRouteSettings")))
                .containsEntry("ThrottlingBurstLimit", 50).containsEntry("ThrottlingRateLimit", 25);
        Map<String, Object> logs = asMap(stage.get("AccessLogSettings"));
        assertThat(logs.get("DestinationArn"))
                .isEqualTo(arn(ops.accessLogs()));
        assertThat(logs.get("Format").toString()).contains("$context.requestId").contains("$context.status")
                .contains("$context.routeKey");
        assertThat(dev.properties(ops.accessLogs())).containsEntry("RetentionInDays", 30)
                .containsEntry("LogGroupName", "/aws/apigateway/waybill-dev-ops-api");
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(asMap(loadTest.properties(loadTest.stack().opsApi().stage()).get("DefaultRouteSettings")))
                .containsEntry("ThrottlingBurstLimit", 80).containsEntry("ThrottlingRateLimit", 40);
    }

    @Test
    void functionRunsTheOpsApiHandlerFromItsShadedJarWithTheSettingsItReads() throws Exception {
        Map<String, Object> function = dev.properties(ops.function());
        assertThat(function).containsEntry("FunctionName", "waybill-dev-ops-api")
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("Handler", "io.waybill.opsapi.OpsApiHandler::handleRequest")
                .containsEntry("MemorySize", 1024)
                .containsEntry("Timeout", 15);
        String[] handler = OpsApi.HANDLER.split("::");
        assertThat(Class.forName(handler[0]).getMethod(handler[1],
                com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class)).isNotNull();
        FunctionAssertions.assertCodeIsShadedJar(dev, function,
                BuildArtifacts.in(SynthesizedStacks.repoRoot()).opsApiJar(), "waybill-ops-api-");
        FunctionAssertions.assertLogsKeptThirtyDaysIn(dev, function, "/aws/lambda/waybill-dev-ops-api");
        var stack = dev.stack();
        assertThat(asMap(asMap(function.get("Environment")).get("Variables"))).containsOnly(
                Map.entry(OpsApiSettings.ENV_EVENTS_TABLE, Map.of("Ref", dev.logicalId(stack.eventStore().events()))),
                Map.entry(OpsApiSettings.ENV_SHIPMENTS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.eventStore().shipments()))),
                Map.entry(OpsApiSettings.ENV_INCIDENTS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.coldChainStore().incidents()))),
                Map.entry(OpsApiSettings.ENV_DEAD_LETTER_QUEUE_URL,
                        Map.of("Ref", dev.logicalId(stack.deadLetters().ingestDeadLetters()))),
                Map.entry(OpsApiSettings.ENV_VERSION, BuildArtifacts.projectVersion()),
                Map.entry(OpsApiSettings.ENV_WRITER_GROUP, "ops-writers"),
                Map.entry(OpsApiSettings.ENV_EXPOSURE_TABLE,
                        Map.of("Ref", dev.logicalId(stack.coldChainStore().exposure()))),
                Map.entry(io.waybill.opsapi.DeadLetterDeskSettings.ENV_DEAD_LETTER_TABLE,
                        Map.of("Ref", dev.logicalId(stack.deadLetterDesk().table()))),
                Map.entry(io.waybill.opsapi.DeadLetterDeskSettings.ENV_DEAD_LETTER_BUCKET,
                        Map.of("Ref", dev.logicalId(stack.deadLetterPayloads().bucket()))),
                Map.entry(io.waybill.opsapi.DeadLetterDeskSettings.ENV_INGEST_STREAM_NAME,
                        Map.of("Ref", dev.logicalId(stack.telemetry().stream()))),
                Map.entry(io.waybill.opsapi.OpsApiStores.ENV_KPI_AGGREGATES_TABLE,
                        Map.of("Ref", dev.logicalId(stack.kpiAggregator().aggregates()))),
                Map.entry("WAYBILL_EPCIS_TABLE", Map.of("Ref", dev.logicalId(stack.epcis().table()))),
                Map.entry(io.waybill.opsapi.OpsApiStores.ENV_DEVICE_REGISTRY_TABLE,
                        Map.of("Ref", dev.logicalId(stack.deviceRegistry().table()))),
                Map.entry(io.waybill.opsapi.OpsApiStores.ENV_CONSUMER_WATERMARKS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.consumerWatermarks().table()))));
    }

    @Test
    void theFunctionMayQueryAShipmentsHistoryAndReadItsExposureButNotWriteEither() {
        var stack = dev.stack();
        Object events = arn(stack.eventStore().events());
        Object exposure = arn(stack.coldChainStore().exposure());
        var statements = dev.policyStatements(ops.role());
        // the bySubject index: Query only
        assertThat(statements).filteredOn(st -> st.resources().toString().contains("/index/bySubject"))
                .singleElement().satisfies(st -> {
                    assertThat(st.actions()).containsExactly("dynamodb:Query");
                    assertThat(st.resources().toString()).contains(dev.logicalId(stack.eventStore().events()));
                });
        // the exposure table: GetItem only (the standing item holds the running exposure)
        assertThat(statements).filteredOn(st -> st.resources().contains(exposure)).singleElement()
                .satisfies(st -> assertThat(st.actions()).containsExactly("dynamodb:GetItem"));
        // the events table itself: no more than the ledger's GetItem/PutItem (no Scan, no Update, no Delete)
        assertThat(statements).filteredOn(st -> st.resources().contains(events))
                .allSatisfy(st -> assertThat(st.actions()).isSubsetOf("dynamodb:GetItem", "dynamodb:PutItem"));
    }

    @Test
    void theKpiRoutesReadTheAggregatesAndNothingElseOfThem() {
        assertThat(actionsOn(ops.role(), arn(dev.stack().kpiAggregator().aggregates()))).containsExactlyInAnyOrder("dynamodb:Query", "dynamodb:GetItem");
    }

    @Test
    void consumersMayOnlyPutTheirWatermarkAndTheOpsApiOnlyScanThem() {
        var stack = dev.stack();
        Object table = arn(stack.consumerWatermarks().table());
        Map<String, List<String>> actions = new java.util.TreeMap<>();
        Map<String, software.amazon.awscdk.services.iam.IRole> roles = Map.of("ingest", stack.ingest().role(),
                "coldchain", stack.coldChain().role(), "ops", ops.role(), "kpi", stack.kpi().role(),
                "kpiAggregator", stack.kpiAggregator().role());
        roles.forEach((name, role) -> {
            List<String> granted = actionsOn(role, table);
            if (!granted.isEmpty()) {
                actions.put(name, granted);
            }
        });
        assertThat(actions).containsOnly(Map.entry("ingest", List.of("dynamodb:PutItem")),
                Map.entry("coldchain", List.of("dynamodb:PutItem")), Map.entry("kpiAggregator",
                        List.of("dynamodb:PutItem")), Map.entry("ops", List.of("dynamodb:Scan")));
        // ingest's source marks live in the same table under their own keys: no other action, no other table
        // the table's key is the item bean's
        assertThat(ConsumerWatermarkTable.PARTITION_KEY)
                .isEqualTo(io.waybill.aws.ops.DynamoDbConsumerWatermarks.CONSUMER);
    }

    @Test
    void theDeviceRoutesReadTheRegistryAndOnlyGetStandingsNeverWrite() {
        assertThat(actionsOn(ops.role(), arn(dev.stack().deviceRegistry().table()))).containsExactlyInAnyOrder("dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem");
        assertThat(actionsOn(ops.role(), arn(dev.stack().coldChainStore().exposure()))).containsExactly("dynamodb:GetItem");
    }

    @Test
    void writesAreForTheMembersOfTheWritersGroupOfTheStagesPool() {
        var groups = dev.resources("AWS::Cognito::UserPoolGroup");
        assertThat(groups).hasSize(1);
        Map<String, Object> group = asMap(groups.values().iterator().next().get("Properties"));
        assertThat(group).containsEntry("GroupName", "ops-writers")
                .containsEntry("UserPoolId", Map.of("Ref", dev.logicalId(ops.userPool())));
    }

    @Test
    void theUserPoolAdmitsOnlyInvitedUsersWithMfaAndIssuesTheTwoScopes() {
        Map<String, Object> pool = dev.properties(ops.userPool());
        assertThat(pool).containsEntry("UserPoolName", "waybill-dev-ops")
                .containsEntry("MfaConfiguration", "ON")
                .containsEntry("EnabledMfas", List.of("SOFTWARE_TOKEN_MFA"))
                .containsEntry("UserPoolTier", "PLUS")
                .containsEntry("UserPoolAddOns", Map.of("AdvancedSecurityMode", "ENFORCED"));
        assertThat(asMap(pool.get("AdminCreateUserConfig"))).containsEntry("AllowAdminCreateUserOnly", true);
        assertThat(asMap(asMap(pool.get("Policies")).get("PasswordPolicy"))).containsEntry("MinimumLength", 14)
                .containsEntry("RequireLowercase", true).containsEntry("RequireUppercase", true)
                .containsEntry("RequireNumbers", true).containsEntry("RequireSymbols", true);
        Map<String, Object> server = dev.properties(ops.resourceServer());
        assertThat(server).containsEntry("Identifier", "waybill");
        assertThat(asList(server.get("Scopes"))).extracting(s -> asMap(s).get("ScopeName"))
                .containsExactlyInAnyOrder("ops.read", "ops.write");
        Map<String, Object> client = dev.properties(ops.client());
        assertThat(client).containsEntry("GenerateSecret", false).containsEntry("AllowedOAuthFlows", List.of("code"))
                .containsEntry("PreventUserExistenceErrors", "ENABLED");
        assertThat(asList(client.get("AllowedOAuthScopes")).toString()).contains("/ops.read").contains("/ops.write");
        // deleted with the stack even where retainData keeps the tables (staff are invited again after a destroy)
        assertThat(dev.resource(ops.userPool())).containsEntry("DeletionPolicy", "Delete");
        assertThat(pool).doesNotContainEntry("DeletionProtection", "ACTIVE");
    }

    @Test
    void alarmsPageOnServerErrorsSlowAnswersAndFunctionErrors() {
        var alarms = dev.resources("AWS::CloudWatch::Alarm").values().stream().map(a -> asMap(a.get("Properties")))
                .toList();
        Object apiId = Map.of("Ref", dev.logicalId(ops.api()));
        assertThat(alarms).filteredOn(a -> "5xx".equals(a.get("MetricName"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("Namespace", "AWS/ApiGateway")
                        .containsEntry("Statistic", "Sum").containsEntry("Threshold", 1)
                        .containsEntry("Dimensions", List.of(Map.of("Name", "ApiId", "Value", apiId))));
        assertThat(alarms).filteredOn(a -> "Latency".equals(a.get("MetricName"))).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("ExtendedStatistic", "p99")
                        .containsEntry("Threshold", 3000).containsEntry("EvaluationPeriods", 3)
                        .containsEntry("DatapointsToAlarm", 3));
        assertThat(alarms).filteredOn(a -> "Errors".equals(a.get("MetricName")))
                .filteredOn(a -> a.get("Dimensions").toString().contains(dev.logicalId(ops.function())))
                .singleElement().satisfies(a -> assertThat(a).containsEntry("Threshold", 1));
    }

    @Test
    void anOperationWithoutAScopeIsRefusedAtSynth(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("open.yaml");
        String readByDefault = """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                security:
                  - opsJwt: [ops.read]
                paths:
                """;
        Files.writeString(doc, readByDefault + """
                  /health:
                    get:
                      operationId: health
                  /public:
                    get:
                      operationId: publicPage
                      security: []
                """);
        // an anonymous GET is a route without authorizer
        assertThat(ApiContract.read(doc).operations()).filteredOn(ApiContract.Operation::anonymous)
                .extracting(ApiContract.Operation::operationId).containsExactly("publicPage");
        Files.writeString(doc, readByDefault + """
                  /public:
                    post:
                      operationId: publicWrite
                      security: []
                """);
        assertThatThrownBy(() -> ApiContract.read(doc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publicWrite").hasMessageContaining("not a GET");
        Files.writeString(doc, readByDefault + """
                  /health:
                    get:
                      operationId: health
                      security:
                        - opsJwt: []
                """);
        assertThatThrownBy(() -> ApiContract.read(doc)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("health").hasMessageContaining("no scope");
        Files.writeString(doc, """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths:
                  /health:
                    get:
                      operationId: health
                """);
        assertThatThrownBy(() -> ApiContract.read(doc)).hasMessageContaining("health");
    }

    @Test
    void noOtherRoleMayActOnIncidentsOrScanShipments() {
        Object shipments = arn(dev.stack().eventStore().shipments());
        for (var role : List.of(dev.stack().ingest().role(), dev.stack().coldChain().role(), dev.stack().kpi().role())) {
            assertThat(actionsOn(role, shipments)).as(role.toString()).doesNotContain("dynamodb:Scan");
        }
    }
}
