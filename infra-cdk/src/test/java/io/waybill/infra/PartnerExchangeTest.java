package io.waybill.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.FunctionAssertions.assertRetriesWithoutLimitUntilRecordAge;
import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, production wiring of the partner exchange: the bus and its policy (exactly the configured accounts), the
 * archive, the rules read from {@code infra-cdk/event-rules} (patterns compared with an independent Jackson read of
 * the same files), every target's retry policy and dead-letter queue (whose policy lets EventBridge send for that rule
 * only), the webhook partner's connection (a Secrets Manager reference, no key) and API destination, both functions'
 * wiring and least-privilege roles, the EPCIS repository behind the ops API, alarms, outputs and cdk-nag. Expected
 * values are written out by hand.
 */
class PartnerExchangeTest {
    static final String SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:northwind-api-key-AbCdEf";
    /** A webhook 3PL with two accounts and a supplier that only sends (no endpoint); written out by hand. */
    static final Map<String, Object> SECTION = Map.of(
            "archiveRetentionDays", 45,
            "northwind-3pl", Map.of(
                    "accounts", List.of("444455556666", "111122223333"),
                    "endpoint", "https://hooks.northwind.example/waybill",
                    "connectionSecretArn", SECRET,
                    "authHeader", "x-northwind-key",
                    "rateLimitPerSecond", 7),
            "acme-supplier", Map.of("accounts", List.of("777788889999")));

    private static SynthesizedStacks.Synthesized px;
    private static PartnerExchange exchange;

    @BeforeAll
    static void synthesize() {
        px = synthesize("partners", Map.of("stage", "px", PartnersConfig.CTX_PARTNERS, SECTION), null);
        exchange = px.stack().partners().orElseThrow();
    }

    /** As {@link WaybillApp#compose} does it (cdk-nag included). */
    private static SynthesizedStacks.Synthesized synthesize(String name, Map<String, Object> context, Path rules) {
        Path outdir = SynthesizedStacks.outdir(name);
        App app = new App(AppProps.builder().outdir(outdir.toString()).context(new HashMap<>(context)).build());
        WaybillStack stack = stack(app, rules);
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        var assembly = app.synth();
        return new SynthesizedStacks.Synthesized(app, stack, Template.fromStack(stack), assembly, outdir);
    }

    private static WaybillStack stack(App app, Path rules) {
        StageConfig config = StageConfig.fromContext(app.getNode());
        BuildArtifacts a = BuildArtifacts.in(config.repoRoot());
        if (rules != null) {
            a = new BuildArtifacts(a.ingestJar(), a.coldChainJar(), a.kpiJar(), a.deviceProvisioningJar(),
                    a.edgeAcknowledgementJar(), a.opsApiJar(), a.edgeJar(), a.edgeRecipe(), a.telemetryRule(),
                    a.opsApiContract(), a.anchorJar(), a.forecastJar(), a.modelServer(), a.partnerEgressJar(),
                    a.partnerIngressJar(), rules);
        }
        return new WaybillStack(app, config, a, StackProps.builder().build());
    }

    private static Path rulesDir() {
        return SynthesizedStacks.repoRoot().resolve("infra-cdk/event-rules");
    }

    /** The rule file as JSON, read here with Jackson (not through the construct). */
    private static Map<String, Object> ruleFile(String name) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = new ObjectMapper().readValue(rulesDir().resolve(name).toFile(), LinkedHashMap.class);
        return rule;
    }

    private static Object arn(software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(px.logicalId(construct), "Arn"));
    }

    private static Object ref(software.constructs.IConstruct construct) {
        return Map.of("Ref", px.logicalId(construct));
    }

    private static Map<String, Object> environment(software.constructs.IConstruct fn) {
        return asMap(asMap(px.properties(fn).get("Environment")).get("Variables"));
    }

    /** {@code arn:<partition>:iam::<account>:root} as CloudFormation renders it. */
    private static Object root(String account) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                ":iam::" + account + ":root")));
    }

    @Test
    void aStageWithoutThePartnersSectionHasNoPartnerResourcesButItsEpcisRepository() {
        SynthesizedStacks.Synthesized dev = SynthesizedStacks.dev();
        assertThat(dev.stack().partners()).isEmpty();
        for (String type : List.of("AWS::Events::EventBus", "AWS::Events::Archive", "AWS::Events::EventBusPolicy",
                "AWS::Events::ApiDestination", "AWS::Events::Connection")) {
            assertThat(dev.resources(type)).as(type).isEmpty();
        }
        assertThat(dev.properties(dev.stack().epcis().table())).containsEntry("TableName", "waybill-dev-epcis");
    }

    @Test
    void theBusPolicyLetsExactlyTheConfiguredAccountsPutEvents() {
        assertThat(px.properties(exchange.bus())).containsEntry("Name", "waybill-px-partners");
        Map<String, Object> policy = px.onlyProperties("AWS::Events::EventBusPolicy");
        assertThat(policy).containsEntry("EventBusName", ref(exchange.bus()));
        Map<String, Object> statement = asMap(policy.get("Statement"));
        assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "events:PutEvents")
                .containsEntry("Resource", arn(exchange.bus()));
        // sorted: 111122223333, 444455556666 (northwind-3pl), 777788889999 (acme-supplier); no '*', nothing else
        assertThat(asMap(statement.get("Principal"))).isEqualTo(Map.of("AWS",
                List.of(root("111122223333"), root("444455556666"), root("777788889999"))));
        assertThat(statement).doesNotContainKey("Condition");
    }

    @Test
    void theArchiveKeepsEveryBusEventForTheConfiguredDays() {
        assertThat(px.onlyProperties("AWS::Events::Archive")).isEqualTo(Map.of(
                "ArchiveName", "waybill-px-partners",
                "Description", "Every event on waybill-px-partners, for replay",
                "SourceArn", arn(exchange.bus()),
                "RetentionDays", 45));
    }

    @Test
    void theRulesAreTheFilesWithTheirPatternsOnThePartnerBus() throws IOException {
        Map<String, Map<String, Object>> rules = px.resources("AWS::Events::Rule").values().stream()
                .map(r -> asMap(r.get("Properties"))).filter(p -> p.containsKey("EventBusName"))
                .collect(java.util.stream.Collectors.toMap(p -> p.get("Name").toString(), p -> p));
        assertThat(rules).containsOnlyKeys("waybill-partner-ingress-shipment-status",
                "waybill-partner-northwind-3pl-egress");
        for (String file : List.of("partner-ingress-shipment-status.json", "partner-northwind-3pl-egress.json")) {
            Map<String, Object> expected = ruleFile(file);
            Map<String, Object> rule = rules.get(expected.get("name").toString());
            assertThat(rule.get("EventPattern")).as(file).isEqualTo(expected.get("eventPattern"));
            assertThat(rule).containsEntry("EventBusName", ref(exchange.bus()))
                    .containsEntry("State", "ENABLED").containsEntry("Description", expected.get("description"));
        }
    }

    @Test
    void everyTargetRetriesAsItsFileSaysThenDeadLettersToAQueueOnlyItsRuleMaySendTo() throws IOException {
        Map<String, software.constructs.IConstruct> dlqOf = Map.of(
                "partner-ingress-shipment-status.json", exchange.ingressDlq(),
                "partner-northwind-3pl-egress.json", exchange.deliveryDlq());
        for (var e : dlqOf.entrySet()) {
            var rule = exchange.rules().get(e.getKey());
            Map<String, Object> expectedTarget = asMap(asList(ruleFile(e.getKey()).get("targets")).get(0));
            Map<String, Object> retry = asMap(expectedTarget.get("retryPolicy"));
            Map<String, Object> target = asMap(asList(px.properties(rule).get("Targets")).get(0));
            assertThat(target).containsEntry("Id", expectedTarget.get("id"))
                    .containsEntry("RetryPolicy", Map.of(
                            "MaximumRetryAttempts", retry.get("maximumRetryAttempts"),
                            "MaximumEventAgeInSeconds", retry.get("maximumEventAgeInSeconds")))
                    .containsEntry("DeadLetterConfig", Map.of("Arn", arn(e.getValue())));
            // 185 attempts, 86400 s: the files' values, EventBridge's maxima
            assertThat(retry).isEqualTo(Map.of("maximumRetryAttempts", 185, "maximumEventAgeInSeconds", 86400));
            List<Map<String, Object>> statements = px.resources("AWS::SQS::QueuePolicy").values().stream()
                    .map(r -> asMap(r.get("Properties")))
                    .filter(p -> asList(p.get("Queues")).contains(ref(e.getValue())))
                    .flatMap(p -> asList(asMap(p.get("PolicyDocument")).get("Statement")).stream())
                    .map(SynthesizedStacks::asMap)
                    .filter(st -> Map.of("Service", "events.amazonaws.com").equals(st.get("Principal")))
                    .toList();
            assertThat(statements).as(e.getKey()).singleElement().satisfies(st -> assertThat(st)
                    .containsEntry("Effect", "Allow").containsEntry("Action", "sqs:SendMessage")
                    .containsEntry("Resource", arn(e.getValue()))
                    .containsEntry("Condition", Map.of("ArnEquals", Map.of("aws:SourceArn", arn(rule)))));
            // TLS only and SSE-KMS with the exchange's key
            assertThat(px.properties(e.getValue())).containsEntry("KmsMasterKeyId", arn(exchange.queueKey()));
        }
    }

    @Test
    void eventBridgeMayUseTheQueueKeyOnlyForTheRulesThatDeadLetterToIt() {
        List<Map<String, Object>> statements = asList(asMap(px.properties(exchange.queueKey()).get("KeyPolicy"))
                .get("Statement")).stream().map(SynthesizedStacks::asMap)
                .filter(st -> Map.of("Service", "events.amazonaws.com").equals(st.get("Principal"))).toList();
        // rule ARNs on a custom bus: arn:<partition>:events:<region>:<account>:rule/<bus>/<rule name>
        String prefix = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/waybill-px-partners/";
        assertThat(statements).extracting(st -> joined(asMap(asMap(st.get("Condition")).get("ArnEquals"))
                .get("aws:SourceArn"))).containsExactlyInAnyOrder(
                prefix + "waybill-partner-ingress-shipment-status", prefix + "waybill-partner-northwind-3pl-egress");
        assertThat(statements).allSatisfy(st -> assertThat(st.get("Action"))
                .isEqualTo(List.of("kms:Decrypt", "kms:GenerateDataKey")));
    }

    /** A {@code Fn::Join} with {@code Ref}s as {@code ${Name}}. */
    private static String joined(Object join) {
        StringBuilder b = new StringBuilder();
        for (Object part : asList(asList(asMap(join).get("Fn::Join")).get(1))) {
            b.append(part instanceof String s ? s : "${" + asMap(part).get("Ref") + "}");
        }
        return b.toString();
    }

    @Test
    void theWebhookPartnerIsAnApiDestinationAtItsRateLimitWithAKeyFromSecretsManager() {
        Map<String, Object> destination = px.onlyProperties("AWS::Events::ApiDestination");
        assertThat(destination).containsEntry("Name", "waybill-px-partner-northwind-3pl")
                .containsEntry("InvocationEndpoint", "https://hooks.northwind.example/waybill")
                .containsEntry("HttpMethod", "POST")
                .containsEntry("InvocationRateLimitPerSecond", 7)
                .containsEntry("ConnectionArn", Map.of("Fn::GetAtt", List.of(
                        px.resources("AWS::Events::Connection").keySet().iterator().next(), "Arn")));
        Map<String, Object> connection = px.onlyProperties("AWS::Events::Connection");
        assertThat(connection).containsEntry("AuthorizationType", "API_KEY");
        assertThat(asMap(connection.get("AuthParameters")).get("ApiKeyAuthParameters")).isEqualTo(Map.of(
                "ApiKeyName", "x-northwind-key",
                "ApiKeyValue", "{{resolve:secretsmanager:" + SECRET + ":SecretString:::}}"));
        // the egress rule's target is that destination, invoked by a role that may invoke nothing else
        Map<String, Object> target = asMap(asList(px.properties(exchange.rules()
                .get("partner-northwind-3pl-egress.json")).get("Targets")).get(0));
        var role = exchange.deliveryRoles().get("northwind-3pl");
        // the L2 ApiDestination's default child is not its CfnApiDestination: its logical id from the template
        String destinationId = px.resources("AWS::Events::ApiDestination").keySet().iterator().next();
        assertThat(target).containsEntry("Arn", Map.of("Fn::GetAtt", List.of(destinationId, "Arn")))
                .containsEntry("RoleArn", arn(role));
        assertThat(px.properties(role).get("AssumeRolePolicyDocument").toString())
                .contains("events.amazonaws.com");
        assertThat(grants(exchange.deliveryRoles().get("northwind-3pl"))).containsExactly(
                "events:InvokeApiDestination on " + destinationId + ".ArnForPolicy");
    }

    @Test
    void theEgressFunctionConsumesTheCanonicalStreamLikeTheOtherConsumers() {
        Map<String, Object> mapping = px.mappingOn(exchange.egressAlias());
        assertThat(mapping).containsEntry("EventSourceArn", arn(px.stack().canonicalEvents().stream()))
                .containsEntry("StartingPosition", "TRIM_HORIZON").containsEntry("BatchSize", 100)
                .containsEntry("ParallelizationFactor", 1);
        assertReportsBatchItemFailures(mapping);
        // the canonical stream keeps a week: 604,800 s less the hour's margin = 601,200 s
        assertRetriesWithoutLimitUntilRecordAge(mapping, 601_200);
        assertExhaustedBatchesGoTo(px, mapping, exchange.egressFailedBatches());
        assertThat(px.properties(exchange.egress()))
                .containsEntry("Handler", "io.waybill.partneregress.PartnerEgressHandler::handleRequest")
                .containsEntry("FunctionName", "waybill-px-partner-egress");
        assertThat(environment(exchange.egress())).isEqualTo(Map.of(
                "WAYBILL_PARTNER_BUS", "waybill-px-partners",
                "WAYBILL_PARTNER_SOURCE", "io.waybill",
                "WAYBILL_PARTNER_TABLE", ref(exchange.table()),
                "WAYBILL_PARTNER_DLQ_URL", ref(exchange.egressDeadLetters()),
                "POWERTOOLS_SERVICE_NAME", "partner-egress",
                "POWERTOOLS_METRICS_NAMESPACE", "Waybill"));
    }

    @Test
    void theIngressFunctionIsTheIngressRulesTargetInvokableByThatRuleOnly() {
        var rule = exchange.rules().get("partner-ingress-shipment-status.json");
        Map<String, Object> target = asMap(asList(px.properties(rule).get("Targets")).get(0));
        assertThat(target).containsEntry("Arn", arn(exchange.ingress())).doesNotContainKey("RoleArn");
        List<Map<String, Object>> permissions = px.resources("AWS::Lambda::Permission").values().stream()
                .map(r -> asMap(r.get("Properties")))
                .filter(p -> arn(exchange.ingress()).equals(p.get("FunctionName"))).toList();
        assertThat(permissions).singleElement().satisfies(p -> assertThat(p).isEqualTo(Map.of(
                "Action", "lambda:InvokeFunction",
                "FunctionName", arn(exchange.ingress()),
                "Principal", "events.amazonaws.com",
                "SourceArn", arn(rule))));
        Map<String, Object> invoke = px.onlyProperties("AWS::Lambda::EventInvokeConfig");
        assertThat(invoke).containsEntry("FunctionName", ref(exchange.ingress()))
                .containsEntry("Qualifier", "$LATEST")
                .containsEntry("MaximumRetryAttempts", 2)
                .containsEntry("MaximumEventAgeInSeconds", 21_600) // 6 h
                .containsEntry("DestinationConfig", Map.of("OnFailure",
                        Map.of("Destination", arn(exchange.ingressFailed()))));
        assertThat(px.properties(exchange.ingress()))
                .containsEntry("Handler", "io.waybill.partneringress.PartnerIngressHandler::handleRequest")
                .containsEntry("FunctionName", "waybill-px-partner-ingress");
        assertThat(environment(exchange.ingress())).isEqualTo(Map.of(
                "WAYBILL_PARTNER_TABLE", ref(exchange.table()),
                "WAYBILL_INGEST_STREAM_NAME", ref(px.stack().telemetry().stream()),
                "WAYBILL_PARTNER_INGRESS_DLQ_URL", ref(exchange.ingressRejects()),
                "POWERTOOLS_SERVICE_NAME", "partner-ingress",
                "POWERTOOLS_METRICS_NAMESPACE", "Waybill"));
    }

    /** Every (action on resource) pair a role's policies allow; resources as logical id or id.attribute. */
    private static Set<String> grants(software.amazon.awscdk.services.iam.IRole role) {
        Set<String> pairs = new TreeSet<>();
        for (var st : px.policyStatements(role)) {
            assertThat(st.effect()).isEqualTo("Allow");
            for (String action : st.actions()) {
                for (Object resource : st.resources()) {
                    pairs.add(action + " on " + resourceName(resource));
                }
            }
        }
        return pairs;
    }

    private static String resourceName(Object resource) {
        if (resource instanceof Map<?, ?> m && m.containsKey("Fn::GetAtt")) {
            List<Object> att = asList(m.get("Fn::GetAtt"));
            return att.get(1).equals("Arn") ? att.get(0).toString() : att.get(0) + "." + att.get(1);
        }
        if (resource instanceof Map<?, ?> m && m.containsKey("Fn::Join")) {
            List<Object> parts = asList(asList(m.get("Fn::Join")).get(1));
            StringBuilder b = new StringBuilder();
            parts.forEach(p -> b.append(p instanceof String s ? s : resourceName(p)));
            return b.toString();
        }
        return resource.toString();
    }

    @Test
    void eachPartnerFunctionMayDoExactlyWhatItsContractLists() {
        String table = px.logicalId(exchange.table());
        String tableKey = px.logicalId(exchange.tableKey());
        String queueKey = px.logicalId(exchange.queueKey());
        String egressLogs = px.logicalId(new SynthesizedLogGroup(exchange.egress()).logGroup());
        String ingressLogs = px.logicalId(new SynthesizedLogGroup(exchange.ingress()).logGroup());
        String canonical = px.logicalId(px.stack().canonicalEvents().stream());
        String canonicalKey = px.logicalId(px.stack().canonicalEvents().key());
        String telemetry = px.logicalId(px.stack().telemetry().stream());
        String telemetryKey = px.logicalId(px.stack().telemetry().key());
        assertThat(grants(exchange.egressRole())).containsExactlyInAnyOrder(
                "logs:CreateLogStream on " + egressLogs, "logs:PutLogEvents on " + egressLogs,
                "dynamodb:PutItem on " + table, "dynamodb:Query on " + table,
                "kms:Decrypt on " + tableKey, "kms:Encrypt on " + tableKey, "kms:GenerateDataKey on " + tableKey,
                "events:PutEvents on " + px.logicalId(exchange.bus()),
                "sqs:SendMessage on " + px.logicalId(exchange.egressDeadLetters()),
                "sqs:SendMessage on " + px.logicalId(exchange.egressFailedBatches()),
                "kms:GenerateDataKey on " + queueKey, "kms:Decrypt on " + queueKey,
                "kinesis:DescribeStream on " + canonical, "kinesis:DescribeStreamSummary on " + canonical,
                "kinesis:GetRecords on " + canonical, "kinesis:GetShardIterator on " + canonical,
                "kinesis:ListShards on " + canonical, "kinesis:SubscribeToShard on " + canonical,
                "kms:Decrypt on " + canonicalKey);
        assertThat(grants(exchange.ingressRole())).containsExactlyInAnyOrder(
                "logs:CreateLogStream on " + ingressLogs, "logs:PutLogEvents on " + ingressLogs,
                "dynamodb:Query on " + table,
                "kms:Decrypt on " + tableKey,
                "kinesis:PutRecords on " + telemetry, "kms:GenerateDataKey on " + telemetryKey,
                "sqs:SendMessage on " + px.logicalId(exchange.ingressRejects()),
                "sqs:SendMessage on " + px.logicalId(exchange.ingressFailed()),
                "kms:GenerateDataKey on " + queueKey, "kms:Decrypt on " + queueKey);
        // every key use only through the service that stores the data
        for (var role : List.of(exchange.egressRole(), exchange.ingressRole())) {
            px.resources("AWS::IAM::Policy").values().stream().map(r -> asMap(r.get("Properties")))
                    .filter(p -> asList(p.get("Roles")).contains(Map.of("Ref", px.logicalId(role))))
                    .flatMap(p -> asList(asMap(p.get("PolicyDocument")).get("Statement")).stream())
                    .map(SynthesizedStacks::asMap)
                    .filter(st -> st.get("Action").toString().contains("kms:"))
                    .forEach(st -> assertThat(st.get("Condition").toString()).contains("kms:ViaService"));
        }
    }

    private record SynthesizedLogGroup(software.amazon.awscdk.services.lambda.Function function) {
        software.constructs.IConstruct logGroup() {
            return function.getNode().getScope().getNode().findChild("Logs");
        }
    }

    @Test
    void thePartnerTableIsALedgerTableWhoseRowsExpire() {
        Map<String, Object> table = px.properties(exchange.table());
        assertThat(table).containsEntry("TableName", "waybill-px-partners")
                .containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true))
                .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true));
        assertThat(SynthesizedStacks.keyTypes(asList(table.get("KeySchema"))))
                .isEqualTo(Map.of("pk", "HASH", "sk", "RANGE"));
        assertThat(SynthesizedStacks.attributeTypes(table)).isEqualTo(Map.of("pk", "S", "sk", "S"));
        assertThat(asMap(table.get("SSESpecification"))).containsEntry("SSEEnabled", true)
                .containsEntry("SSEType", "KMS").containsEntry("KMSMasterKeyId", arn(exchange.tableKey()));
    }

    @Test
    void theOpsApiServesEpcisFromItsRepositoryWithExactlyTheseGrants() {
        EpcisRepository epcis = px.stack().epcis();
        Map<String, Object> table = px.properties(epcis.table());
        assertThat(table).containsEntry("TableName", "waybill-px-epcis")
                .containsEntry("TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true));
        assertThat(SynthesizedStacks.keyTypes(asList(table.get("KeySchema"))))
                .isEqualTo(Map.of("pk", "HASH", "sk", "RANGE"));
        assertThat(SynthesizedStacks.attributeTypes(table))
                .isEqualTo(Map.of("pk", "S", "sk", "S", "qpk", "S", "qsk", "S"));
        assertThat(asList(table.get("GlobalSecondaryIndexes"))).singleElement().satisfies(i -> {
            assertThat(asMap(i)).containsEntry("IndexName", "query")
                    .containsEntry("Projection", Map.of("ProjectionType", "ALL"));
            assertThat(SynthesizedStacks.keyTypes(asList(asMap(i).get("KeySchema"))))
                    .isEqualTo(Map.of("qpk", "HASH", "qsk", "RANGE"));
        });
        assertThat(environment(px.stack().opsApi().function()))
                .containsEntry("WAYBILL_EPCIS_TABLE", ref(epcis.table()));
        String id = px.logicalId(epcis.table());
        String key = px.logicalId(epcis.key());
        Set<String> epcisGrants = new TreeSet<>(grants(px.stack().opsApi().role()));
        epcisGrants.removeIf(g -> !g.endsWith(" on " + id) && !g.contains(" on " + id + "/")
                && !g.endsWith(" on " + key));
        assertThat(epcisGrants).containsExactlyInAnyOrder(
                "dynamodb:BatchGetItem on " + id, "dynamodb:BatchWriteItem on " + id,
                "dynamodb:GetItem on " + id, "dynamodb:PutItem on " + id, "dynamodb:Query on " + id,
                "dynamodb:Query on " + id + "/index/query",
                "kms:Decrypt on " + key, "kms:Encrypt on " + key, "kms:GenerateDataKey on " + key);
        // captures go on the raw telemetry stream: the ops API already may PutRecords there (dead-letter re-drive)
        assertThat(grants(px.stack().opsApi().role()))
                .contains("kinesis:PutRecords on " + px.logicalId(px.stack().telemetry().stream()));
    }

    @Test
    void everyPartnerQueueHasADepthAlarmAndTheOutputsNameBusAndArchive() {
        var alarms = px.resources("AWS::CloudWatch::Alarm").values().stream().map(r -> asMap(r.get("Properties")))
                .filter(p -> "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))).toList();
        for (var queue : exchange.deadLetterQueues()) {
            Object name = Map.of("Fn::GetAtt", List.of(px.logicalId(queue), "QueueName"));
            assertThat(alarms).as(px.logicalId(queue)).anySatisfy(a -> {
                assertThat(asList(a.get("Dimensions"))).contains(Map.of("Name", "QueueName", "Value", name));
                assertThat(a).containsEntry("Threshold", 1).containsEntry("ComparisonOperator",
                        "GreaterThanOrEqualToThreshold");
            });
        }
        Map<String, Object> outputs = asMap(asMap(px.template().toJSON()).get("Outputs"));
        assertThat(asMap(outputs.get("PartnerBusName"))).containsEntry("Value", ref(exchange.bus()));
        assertThat(asMap(outputs.get("PartnerBusArn"))).containsEntry("Value", arn(exchange.bus()));
        assertThat(asMap(outputs.get("PartnerArchiveName"))).containsEntry("Value", ref(exchange.archive()));
    }

    @Test
    void cdkNagReportsNothingUnsuppressedOnAPartnerStage() {
        assertThat(Annotations.fromStack(px.stack()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        assertThat(Annotations.fromStack(px.stack()).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
    }

    @Test
    void anEmptySectionIsABusNobodyMayPutToWithTheIngressRuleOnly() {
        SynthesizedStacks.Synthesized empty = synthesize("partners-empty", Map.of("stage", "pxe",
                PartnersConfig.CTX_PARTNERS, "{}"), null);
        assertThat(empty.resources("AWS::Events::EventBus")).hasSize(1);
        assertThat(empty.resources("AWS::Events::EventBusPolicy")).isEmpty();
        assertThat(empty.onlyProperties("AWS::Events::Archive")).containsEntry("RetentionDays", 30);
        assertThat(empty.stack().partners().orElseThrow().rules())
                .containsOnlyKeys("partner-ingress-shipment-status.json");
        assertThat(empty.resources("AWS::Events::ApiDestination")).isEmpty();
    }

    @Test
    void aWebhookPartnerWithoutARuleFileFailsSynthNamingTheFile() {
        App app = new App(AppProps.builder().context(new HashMap<>(Map.of("stage", "pxf", PartnersConfig.CTX_PARTNERS,
                "{\"contoso-3pl\":{\"accounts\":[\"111122223333\"],\"endpoint\":\"https://contoso.example/in\","
                        + "\"connectionSecretArn\":\"contoso-api-key\"}}"))).build());
        assertThatThrownBy(() -> stack(app, null)).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("partners.contoso-3pl")
                .hasMessageContaining("infra-cdk/event-rules/partner-contoso-3pl-egress.json does not exist");
    }

    @Test
    void aRuleFileBindingAnUnconfiguredDestinationFailsSynth() throws IOException {
        // acme-supplier sends only (no endpoint), but its file sends to northwind's destination, not configured here
        Path dir = Files.createDirectories(Path.of("target", "cdk-test-out", "rules-unbound"));
        Files.copy(rulesDir().resolve("partner-ingress-shipment-status.json"),
                dir.resolve("partner-ingress-shipment-status.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(rulesDir().resolve("partner-northwind-3pl-egress.json"),
                dir.resolve("partner-acme-supplier-egress.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        App app = new App(AppProps.builder().context(new HashMap<>(Map.of("stage", "pxu", PartnersConfig.CTX_PARTNERS,
                Map.of("acme-supplier", Map.of("accounts", List.of("777788889999")))))).build());
        assertThatThrownBy(() -> stack(app, dir)).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("partner-acme-supplier-egress.json binds {{Northwind3plDestination.arn}}, which "
                        + "is not configured");
    }

    @Test
    void aRuleTargetWithoutADeadLetterQueueFailsSynth() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "cdk-test-out", "rules-no-dlq"));
        Files.writeString(dir.resolve("partner-ingress-shipment-status.json"), """
                {"name": "r", "eventBusName": "{{PartnerBus.eventBusName}}", "eventPattern": {"source": ["x"]},
                 "targets": [{"id": "t", "arn": "{{PartnerFunction.functionArn}}",
                              "retryPolicy": {"maximumRetryAttempts": 3, "maximumEventAgeInSeconds": 600}}]}""");
        App app = new App(AppProps.builder().context(new HashMap<>(Map.of("stage", "pxd",
                PartnersConfig.CTX_PARTNERS, "{}"))).build());
        assertThatThrownBy(() -> stack(app, dir)).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("target t needs a retryPolicy and a deadLetterConfig");
    }

    @Test
    void partnerSettingsAreCheckedWithTheSettingNamed() {
        for (var bad : List.of(
                Map.entry("{\"n\":{\"accounts\":[\"12345\"]}}", "partners.n.accounts: '12345'"),
                Map.entry("{\"n\":{}}", "partners.n.accounts must be a non-empty list"),
                Map.entry("{\"n\":{\"accounts\":[\"111122223333\"],\"endpoint\":\"http://x\","
                        + "\"connectionSecretArn\":\"s\"}}", "partners.n.endpoint must be an https:// URL"),
                Map.entry("{\"n\":{\"accounts\":[\"111122223333\"],\"endpoint\":\"https://x\"}}",
                        "needs both endpoint and connectionSecretArn"),
                Map.entry("{\"n\":{\"accounts\":[\"111122223333\"],\"endpoint\":\"https://x\","
                        + "\"connectionSecretArn\":\"s\",\"rateLimitPerSecond\":301}}", "1 to 300"),
                Map.entry("{\"n\":{\"accounts\":[\"111122223333\"],\"apiKey\":\"k\"}}", "unknown key(s) [apiKey]"),
                Map.entry("{\"Bad_Id\":{\"accounts\":[\"111122223333\"]}}", "'Bad_Id' is neither"),
                Map.entry("{\"archiveRetentionDays\":0}", "at least 1"))) {
            assertThatThrownBy(() -> PartnersConfig.fromContext(bad.getKey())).as(bad.getKey())
                    .isInstanceOf(StageConfigException.class).hasMessageContaining(bad.getValue());
        }
        assertThat(PartnersConfig.fromContext(null).enabled()).isFalse();
        var northwind = PartnersConfig.fromContext(SECTION).partners().get("northwind-3pl");
        assertThat(northwind.constructName()).isEqualTo("Northwind3pl");
        assertThat(northwind.webhook().orElseThrow()).isEqualTo(new PartnersConfig.Webhook(
                "https://hooks.northwind.example/waybill", SECRET, "x-northwind-key", 7));
        assertThat(StageConfig.CONTEXT_SECTIONS).contains("partners");
    }
}
