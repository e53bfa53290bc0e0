package io.waybill.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteKey;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cognito.AccountRecovery;
import software.amazon.awscdk.services.cognito.AuthFlow;
import software.amazon.awscdk.services.cognito.CognitoDomainOptions;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.Mfa;
import software.amazon.awscdk.services.cognito.MfaSecondFactor;
import software.amazon.awscdk.services.cognito.OAuthFlows;
import software.amazon.awscdk.services.cognito.CfnUserPoolGroup;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.OAuthSettings;
import software.amazon.awscdk.services.cognito.PasswordPolicy;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.SignInAliases;
import software.amazon.awscdk.services.cognito.StandardThreatProtectionMode;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolClientOptions;
import software.amazon.awscdk.services.cognito.UserPoolDomain;
import software.amazon.awscdk.services.cognito.UserPoolDomainOptions;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operations API (issue 13): an API Gateway HTTP API whose routes are the operations of the ops API's OpenAPI
 * document ({@link ApiContract}, {@link BuildArtifacts#OPS_API_CONTRACT_PATH}), each a Lambda integration (payload
 * format 2.0) of the ops API function ({@code functions/ops-api}, {@code OpsApiHandler}) behind a JWT authorizer of
 * the stage's Cognito user pool, with the operation's scopes as the route's authorization scopes. The operations the
 * document marks {@code security: []} (the dashboard's page and assets, GET only) are routes without authorizer, their
 * cdk-nag APIG4 finding suppressed with that reason.
 *
 * <ul>
 * <li><b>Function</b>: {@code waybill-<stage>-ops-api}, java21 on arm64, SnapStart behind alias {@value #ALIAS_NAME}
 * (what the integration invokes: people wait on it). Its role may read the shipment projection and the incidents,
 * append incident actions to the ledger and update incidents (and shipments, for the hold release IncidentDesk
 * offers: the same ledger grant as the cold-chain function's), and read the ingest dead-letter queue's attributes
 * for {@code /health}.</li>
 * <li><b>Stage</b>: {@code $default} (the handler routes on {@code rawPath}, which a named stage would prefix),
 * auto-deployed, throttled to {@link StageConfig#apiThrottleRate()} requests per second with bursts of
 * {@link StageConfig#apiThrottleBurst()}, one JSON access log line per request to
 * {@code /aws/apigateway/waybill-<stage>-ops-api} (kept {@link JavaFunction#LOG_RETENTION}).</li>
 * <li><b>Users</b>: a user pool {@code waybill-<stage>-ops} (no self sign-up, MFA by authenticator app required, a
 * 14-character password policy, threat protection enforced; deleted with the stack), resource server {@value #RESOURCE_SERVER} with scopes
 * {@value #READ_SCOPE} and {@value #WRITE_SCOPE}, a public app client (authorization code grant with PKCE, the
 * callback the API's own root) and a Cognito domain for the token endpoint. Tokens carry
 * {@code waybill/ops.read}; the handler accepts a scope that ends with {@code /ops.read}.</li>
 * </ul>
 *
 * <p>Who may write is the group {@value #WRITERS_GROUP}: an administrator adds a user to it
 * ({@code aws cognito-idp admin-add-user-to-group}); a token with the write scope from anyone else is refused a write.
 *
 * <p>API Gateway grants a route when the token carries <em>any</em> of its authorization scopes; OpenAPI's requirement
 * {@code [ops.read, ops.write]} means <em>all</em>. The write routes therefore pass the authorizer with either scope
 * and the handler refuses a token without {@code ops.write} (403): the function, not the gateway, enforces "writes
 * need the write scope".
 */
public final class OpsApi extends Construct {
    public static final String HANDLER = "io.waybill.opsapi.OpsApiHandler::handleRequest";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;
    /** The resource server's identifier: the prefix of the scopes in a token ({@code waybill/ops.read}). */
    public static final String RESOURCE_SERVER = "waybill";
    public static final String READ_SCOPE = "ops.read";
    public static final String WRITE_SCOPE = "ops.write";
    /**
     * The user pool group whose members may write: the app client lets every user ask for {@value #WRITE_SCOPE}, so
     * the scope says what a token asks for and the group (the token's {@code cognito:groups}) who may act; the function
     * gets its name as {@code WAYBILL_OPS_WRITER_GROUP} and refuses a write from a non-member (403).
     */
    public static final String WRITERS_GROUP = "ops-writers";

    /*
     * 1024 MB on arm64 as the stream functions (memory buys CPU for JSON and the SDK); 15 s: a request reads at most
     * 10 pages of 100 items, and API Gateway gives up on the integration at 30 s, so the function's own timeout is
     * what a caller sees first. A starting point: re-measure (the p50/p99 per read route) and adjust.
     */
    public static final int MEMORY_MB = 1024;
    public static final Duration TIMEOUT = Duration.seconds(15);
    /** Access tokens live an hour (Cognito's default), the refresh token a working day and a night. */
    public static final Duration ACCESS_TOKEN_VALIDITY = Duration.hours(1);
    public static final Duration REFRESH_TOKEN_VALIDITY = Duration.hours(12);
    /** A temporary password an administrator sets must be changed within three days. */
    public static final int TEMPORARY_PASSWORD_DAYS = 3;
    public static final int PASSWORD_MIN_LENGTH = 14;

    /** One JSON line per request: what was asked, by whom, how it ended and how long it took. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\","
            + "\"time\":\"$context.requestTime\",\"ip\":\"$context.identity.sourceIp\","
            + "\"method\":\"$context.httpMethod\",\"path\":\"$context.path\",\"routeKey\":\"$context.routeKey\","
            + "\"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
            + "\"responseLength\":\"$context.responseLength\",\"latencyMs\":\"$context.responseLatency\","
            + "\"integrationLatencyMs\":\"$context.integrationLatency\","
            + "\"integrationError\":\"$context.integrationErrorMessage\","
            + "\"authorizerError\":\"$context.authorizer.error\",\"sub\":\"$context.authorizer.claims.sub\"}";

    private final ApiContract contract;
    private final Function function;
    private final Alias alias;
    private final Role role;
    private final HttpApi api;
    private final HttpStage stage;
    private final LogGroup accessLogs;
    private final UserPool userPool;
    private final UserPoolResourceServer resourceServer;
    private final UserPoolClient client;
    private final UserPoolDomain domain;
    private final List<HttpRoute> routes = new ArrayList<>();

    public OpsApi(Construct scope, String id, StageConfig config, Path opsApiJar, Path contractDocument,
                  EventStore eventStore, ColdChainStore coldChainStore, DeadLetterQueues deadLetters) {
        super(scope, id);
        this.contract = ApiContract.read(contractDocument);
        String functionName = config.resourceName("ops-api");
        JavaFunction ops = JavaFunction.in(this, functionName)
                .roleDescription("Waybill " + config.stage() + " ops API function")
                .description("Operations API (API Gateway HTTP API, payload 2.0): shipments, incidents and their "
                        + "actions, health")
                .handler(HANDLER)
                .code(opsApiJar, "functions/ops-api")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(environment(config, eventStore, coldChainStore, deadLetters))
                .build();
        this.function = ops.function();
        this.alias = ops.alias();
        this.role = ops.role();
        eventStore.grantLedgerWrites(role);
        eventStore.grantShipmentScan(role);
        coldChainStore.grantIncidentDesk(role);
        eventStore.grantHistoryQuery(role);
        coldChainStore.grantExposureRead(role);
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sqs:GetQueueAttributes"))
                .resources(List.of(deadLetters.ingestDeadLetters().getQueueArn()))
                .build());

        this.userPool = UserPool.Builder.create(this, "Users")
                .userPoolName(config.resourceName("ops"))
                .selfSignUpEnabled(false)
                .signInAliases(SignInAliases.builder().username(true).email(true).build())
                .mfa(Mfa.REQUIRED)
                .mfaSecondFactor(MfaSecondFactor.builder().otp(true).sms(false).build())
                .passwordPolicy(PasswordPolicy.builder()
                        .minLength(PASSWORD_MIN_LENGTH)
                        .requireLowercase(true).requireUppercase(true).requireDigits(true).requireSymbols(true)
                        .tempPasswordValidity(Duration.days(TEMPORARY_PASSWORD_DAYS))
                        .build())
                .accountRecovery(AccountRecovery.EMAIL_ONLY)
                .featurePlan(FeaturePlan.PLUS)
                .standardThreatProtectionMode(StandardThreatProtectionMode.FULL_FUNCTION)
                // Deleted with the stack whatever retainData says: staff accounts are not the ledger (an action's
                // ledger event names its actor), and a retained pool would keep its domain prefix, so a redeploy of
                // the stage could not create the domain again. After a destroy, staff are invited again.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        ResourceServerScope read = ResourceServerScope.Builder.create().scopeName(READ_SCOPE)
                .scopeDescription("Read shipments, incidents, health").build();
        ResourceServerScope write = ResourceServerScope.Builder.create().scopeName(WRITE_SCOPE)
                .scopeDescription("Acknowledge, resolve and disposition incidents").build();
        this.resourceServer = userPool.addResourceServer("OpsScopes", UserPoolResourceServerOptions.builder()
                .identifier(RESOURCE_SERVER)
                .userPoolResourceServerName("Waybill " + config.stage() + " ops API")
                .scopes(List.of(read, write))
                .build());
        CfnUserPoolGroup.Builder.create(this, "Writers")
                .userPoolId(userPool.getUserPoolId())
                .groupName(WRITERS_GROUP)
                .description("May acknowledge, resolve and disposition incidents and replay dead letters")
                .build();
        // The Cognito domain's prefix is global within a region: the account id keeps two accounts' stages apart.
        this.domain = userPool.addDomain("Domain", UserPoolDomainOptions.builder()
                .cognitoDomain(CognitoDomainOptions.builder()
                        .domainPrefix(Fn.join("-", List.of(config.resourceName("ops"), Aws.ACCOUNT_ID)))
                        .build())
                .build());

        this.api = HttpApi.Builder.create(this, "Api")
                .apiName(config.resourceName("ops-api"))
                .description("Waybill " + config.stage() + " operations API: routes from " + contract.title())
                .createDefaultStage(false)
                .build();
        this.client = userPool.addClient("Client", UserPoolClientOptions.builder()
                .userPoolClientName(config.resourceName("ops-client"))
                .generateSecret(false)
                .authFlows(AuthFlow.builder().userSrp(true).build())
                .oAuth(OAuthSettings.builder()
                        .flows(OAuthFlows.builder().authorizationCodeGrant(true).build())
                        .scopes(List.of(OAuthScope.OPENID, OAuthScope.resourceServer(resourceServer, read),
                                OAuthScope.resourceServer(resourceServer, write)))
                        .callbackUrls(List.of(api.getApiEndpoint() + "/"))
                        .logoutUrls(List.of(api.getApiEndpoint() + "/"))
                        .build())
                .preventUserExistenceErrors(true)
                .accessTokenValidity(ACCESS_TOKEN_VALIDITY)
                .idTokenValidity(ACCESS_TOKEN_VALIDITY)
                .refreshTokenValidity(REFRESH_TOKEN_VALIDITY)
                .build());

        this.accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .logGroupName("/aws/apigateway/" + config.resourceName("ops-api"))
                .retention(JavaFunction.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        LogGroupLogDestination destination = new LogGroupLogDestination(accessLogs);
        AccessLogFormat format = AccessLogFormat.custom(ACCESS_LOG_FORMAT);
        this.stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .burstLimit(config.apiThrottleBurst())
                        .rateLimit(config.apiThrottleRate())
                        .build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return format;
                    }
                })
                .build();

        HttpUserPoolAuthorizer authorizer = new HttpUserPoolAuthorizer("OpsJwt", userPool,
                HttpUserPoolAuthorizerProps.builder()
                        .authorizerName(config.resourceName("ops-jwt"))
                        .userPoolClients(List.of(client))
                        .identitySource(List.of("$request.header.Authorization"))
                        .build());
        HttpLambdaIntegration integration = new HttpLambdaIntegration("OpsApiFunction", alias,
                HttpLambdaIntegrationProps.builder().payloadFormatVersion(PayloadFormatVersion.VERSION_2_0).build());
        for (ApiContract.Operation operation : contract.operations()) {
            HttpRoute.Builder route = HttpRoute.Builder.create(this, "Route" + operation.operationId())
                    .httpApi(api)
                    .routeKey(HttpRouteKey.with(operation.path(),
                            HttpMethod.valueOf(operation.method().toUpperCase(Locale.ROOT))))
                    .integration(integration);
            if (operation.anonymous()) {
                // the dashboard's page and assets: a browser loads them before it has a token
                HttpRoute open = route.authorizer(new HttpNoneAuthorizer()).build();
                NagSuppressions.addResourceSuppressions(open, List.of(NagPackSuppression.builder().id("AwsSolutions-APIG4")
                        .reason("The ops dashboard's static page and assets (security: [] in the OpenAPI document, GET "
                                + "only): they hold no data; the page asks the operator for a token and every data "
                                + "route it calls is behind the JWT authorizer").build()));
                routes.add(open);
            } else {
                routes.add(route.authorizer(authorizer)
                        .authorizationScopes(operation.scopes().stream().map(OpsApi::tokenScope).toList())
                        .build());
            }
        }
    }

    /**
     * Serves the dead-letter routes ({@code /dead-letters}): the desk read and written (claims and marks), claim-checked
     * payloads read, and replays put on the raw telemetry stream (PutRecords with the records' own partition keys).
     */
    public void serveDeadLetters(DeadLetterDesk desk, DeadLetterPayloads payloads, TelemetryStream telemetry) {
        function.addEnvironment("WAYBILL_DEAD_LETTER_TABLE", desk.table().getTableName());
        function.addEnvironment("WAYBILL_DEAD_LETTER_BUCKET", payloads.bucket().getBucketName());
        function.addEnvironment("WAYBILL_INGEST_STREAM_NAME", telemetry.stream().getStreamName());
        desk.grantReplay(role);
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kinesis:PutRecords"))
                .resources(List.of(telemetry.stream().getStreamArn()))
                .build());
        KeyUse.allow(role, telemetry.key(), KeyUse.KINESIS, "kms:GenerateDataKey");
    }

    /** The scope a Cognito access token carries for a document's scope: {@code ops.read} -> {@code waybill/ops.read}. */
    static String tokenScope(String documentScope) {
        return RESOURCE_SERVER + "/" + documentScope;
    }

    /** {@code https://<api id>.execute-api.<region>.amazonaws.com/}: the {@code $default} stage's URL. */

    /**
     * What the function reads from its environment ({@code io.waybill.opsapi.OpsApiSettings}; a test compares): the
     * tables, the dead-letter queue, the version, the cold-chain evidence store (running exposure) and, when the stage
     * configures one, the same product class catalog the cold-chain function decides with.
     */
    static Map<String, String> environment(StageConfig config, EventStore eventStore, ColdChainStore coldChainStore,
                                           DeadLetterQueues deadLetters) {
        Map<String, String> env = new java.util.LinkedHashMap<>(Map.of(
                "WAYBILL_EVENTS_TABLE", eventStore.events().getTableName(),
                "WAYBILL_SHIPMENTS_TABLE", eventStore.shipments().getTableName(),
                "WAYBILL_INCIDENTS_TABLE", coldChainStore.incidents().getTableName(),
                "WAYBILL_DEAD_LETTER_QUEUE_URL", deadLetters.ingestDeadLetters().getQueueUrl(),
                "WAYBILL_VERSION", BuildArtifacts.projectVersion(),
                "WAYBILL_EXPOSURE_TABLE", coldChainStore.exposure().getTableName(),
                "WAYBILL_OPS_WRITER_GROUP", WRITERS_GROUP));
        config.productClassesJson().ifPresent(json -> env.put(ColdChainService.PRODUCT_CLASSES_VARIABLE, json));
        return Map.copyOf(env);
    }

    public String url() {
        return stage.getUrl();
    }

    /**
     * Serves {@code /kpis/lanes} and {@code /kpis/facilities} from the KPI aggregator's table: its name in
     * {@code WAYBILL_KPI_AGGREGATES_TABLE} and the publisher's reads (Query, GetItem; decrypt with the table's key).
     */
    public void servesKpis(KpiAggregator aggregator) {
        function.addEnvironment("WAYBILL_KPI_AGGREGATES_TABLE",
                aggregator.aggregates().getTableName());
        aggregator.grantAggregateReads(role);
    }

    /**
     * Serves {@code /devices} and {@code /devices/{deviceId}} from the device registry (Scan, Query, BatchGetItem) and
     * the sequence gaps from the cold chain's standings (GetItem on the exposure table).
     */
    public void servesDevices(DeviceRegistry registry, ColdChainStore coldChainStore) {
        // WAYBILL_EXPOSURE_TABLE, which the sequence gaps read, is already in the function's environment (environment())
        function.addEnvironment("WAYBILL_DEVICE_REGISTRY_TABLE", registry.table().getTableName());
        registry.grantOpsReads(role);
        coldChainStore.grantStandingRead(role);
    }

    /**
     * Serves {@code GET /events/{eventId}/proof} on a stage that anchors: the proofs table (GetItem only), and the
     * chain to check a proof against ({@code WAYBILL_PROOFS_TABLE}, {@code WAYBILL_CHAIN_RPC_URL}/{@code _AUTH},
     * {@code WAYBILL_CHAIN_ID}, {@code WAYBILL_ANCHOR_REGISTRY}; with an AMB node, its JSON-RPC).
     */
    public void servesProofs(ProvenanceAnchoring anchoring) {
        anchoring.chainEnvironment().forEach(function::addEnvironment);
        anchoring.grantProofReads(role);
    }

    /**
     * Serves {@code GET /forecasts}, {@code GET /forecasts/{seriesId}} and {@code POST /forecasts/{seriesId}} (an
     * on-demand run of one series) on a stage that forecasts: the forecast settings and tables in the environment
     * (what the forecast functions get), reads of both tables, the forecast write and {@code sagemaker:InvokeEndpoint}
     * on the stage's endpoint only.
     */
    /**
     * The EPCIS routes (capture and query): {@value EpcisRepository#ENV_TABLE} and its grants. Captured events go on
     * with the raw telemetry stream's {@code kinesis:PutRecords}, which {@link #serveDeadLetters} already grants (the
     * same stream, the same action).
     */
    public void servesEpcis(EpcisRepository epcis) {
        function.addEnvironment(EpcisRepository.ENV_TABLE, epcis.table().getTableName());
        epcis.grantOpsApi(role);
    }

    public void servesForecasts(DemandForecasting forecasting) {
        forecasting.forecastEnvironment().forEach(function::addEnvironment);
        forecasting.grantOpsApi(role);
    }

    /** Reports the stream consumers' lag on {@code /health} from their watermarks (Scan of that small table). */
    public void servesConsumerLag(ConsumerWatermarkTable watermarks) {
        function.addEnvironment(ConsumerWatermarkTable.ENV_TABLE, watermarks.table().getTableName());
        watermarks.readBy(role);
    }

    public ApiContract contract() {
        return contract;
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    public HttpApi api() {
        return api;
    }

    public HttpStage stage() {
        return stage;
    }

    public LogGroup accessLogs() {
        return accessLogs;
    }

    public UserPool userPool() {
        return userPool;
    }

    public UserPoolResourceServer resourceServer() {
        return resourceServer;
    }

    public UserPoolClient client() {
        return client;
    }

    public UserPoolDomain domain() {
        return domain;
    }

    public List<HttpRoute> routes() {
        return List.copyOf(routes);
    }
}
