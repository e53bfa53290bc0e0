package io.waybill.infra;

import io.waybill.coldchain.ColdChainSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.waybill.infra.FunctionAssertions.assertRetriesWithoutLimitUntilRecordAge;
import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertInvokesTheLiveAliasOfThePublishedVersion;
import static io.waybill.infra.FunctionAssertions.assertReadsBatchesOf100WithinASecondFromTrimHorizon;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.FunctionAssertions.assertRunsOnJava21Arm64WithSnapStart;
import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The cold-chain decision function and its event source mapping on the canonical event stream. */
class ColdChainServiceTest {
    private static SynthesizedStacks.Synthesized dev;
    private static ColdChainService coldChain;
    private static Map<String, Object> mapping;
    private static Map<String, Object> function;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        coldChain = dev.stack().coldChain();
        mapping = dev.mappingOn(coldChain.alias());
        function = dev.properties(coldChain.function());
    }

    @Test
    void coldChainReadsTheCanonicalStreamAndIngestAloneReadsTheTelemetryStream() {
        var stack = dev.stack();
        Object telemetry = Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.telemetry().stream()), "Arn"));
        Object canonical = Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.canonicalEvents().stream()), "Arn"));
        assertThat(mapping).containsEntry("EventSourceArn", canonical);
        assertThat(dev.mappingOn(stack.ingest().alias())).containsEntry("EventSourceArn", telemetry);
        // Issue 12: the KPI aggregator and the edge acknowledgement are the canonical stream's other consumers; the
        // edge settlement function reads its notices queue, no stream.
        Object notices = Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.deadLetters().edgeSettlements()), "Arn"));
        assertThat(dev.resources("AWS::Lambda::EventSourceMapping").values()).hasSize(5)
                .map(m -> asMap(m.get("Properties")).get("EventSourceArn"))
                .containsExactlyInAnyOrder(telemetry, canonical, canonical, canonical, notices);
    }

    @Test
    void functionMayNoLongerReadTheTelemetryStreamOrDecryptWithItsKey() {
        var stack = dev.stack();
        String telemetry = dev.logicalId(stack.telemetry().stream());
        String telemetryKey = dev.logicalId(stack.telemetry().key());
        assertThat(dev.policyStatements(coldChain.role())).flatExtracting(SynthesizedStacks.Statement::resources)
                .map(Object::toString).noneMatch(r -> r.contains(telemetry) || r.contains(telemetryKey));
        Object canonicalKey = Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.canonicalEvents().key()), "Arn"));
        // Decrypt to read the stream; GenerateDataKey to put its decision events on it (issue 14)
        assertThat(IngestServiceTest.actionsOn(dev.policyStatements(coldChain.role()), canonicalKey))
                .containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey");
    }

    @Test
    void eventSourceMappingReportsBatchItemFailures() {
        assertReportsBatchItemFailures(mapping);
    }

    @Test
    void failingBatchesAreRetriedUntilAnHourBeforeTheCanonicalStreamTrimsThem() {
        // the canonical stream keeps a week in every stage: 168 h - 1 h = 601 200 s, also with retentionHours=48
        for (var variant : List.of(dev, SynthesizedStacks.loadTest())) {
            Map<String, Object> m = variant.mappingOn(variant.stack().coldChain().alias());
            assertThat(FunctionAssertions.retentionHoursOfSource(variant, m)).isEqualTo(168);
            assertRetriesWithoutLimitUntilRecordAge(m, 601_200);
        }
    }

    @Test
    void exhaustedBatchesGoToTheColdChainFailedBatchesQueue() {
        assertExhaustedBatchesGoTo(dev, mapping, dev.stack().deadLetters().coldChainFailedBatches());
        assertThat(dev.properties(dev.stack().deadLetters().coldChainFailedBatches()))
                .containsEntry("QueueName", "waybill-dev-coldchain-failed-batches");
    }

    @Test
    void eventSourceMappingReadsBatchesOf100WithinASecondFromTrimHorizonOneBatchPerShard() {
        assertReadsBatchesOf100WithinASecondFromTrimHorizon(mapping, 1);
        // Not raised with the ingest mapping's context value: decisions on one shipment must not race.
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(loadTest.mappingOn(loadTest.stack().coldChain().alias())).containsEntry("ParallelizationFactor", 1);
    }

    @Test
    void eventSourceMappingInvokesTheLiveAliasOfThePublishedVersion() {
        assertInvokesTheLiveAliasOfThePublishedVersion(dev, mapping, coldChain.alias(), coldChain.function());
    }

    @Test
    void functionRunsOnJava21Arm64WithSnapStartOnPublishedVersions() {
        assertThat(function).containsEntry("FunctionName", "waybill-dev-coldchain");
        assertRunsOnJava21Arm64WithSnapStart(function, "io.waybill.coldchain.ColdChainHandler::handleRequest", 1024,
                60);
    }

    @Test
    void handlerNamesAMethodTheColdChainHandlerHas() throws Exception {
        String[] handler = ColdChainService.HANDLER.split("::");
        Class<?> type = Class.forName(handler[0]);
        assertThat(type.getMethod(handler[1], com.amazonaws.services.lambda.runtime.events.KinesisEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class).getReturnType())
                .isEqualTo(com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.class);
    }

    @Test
    void functionEnvironmentNamesTheStageTablesAndTheDecisionSettings() {
        var stack = dev.stack();
        assertThat(environment(dev)).containsOnly(
                Map.entry(ColdChainSettings.ENV_EVENTS_TABLE, Map.of("Ref", dev.logicalId(stack.eventStore().events()))),
                Map.entry(ColdChainSettings.ENV_CONSUMER_WATERMARKS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.consumerWatermarks().table()))),
                Map.entry(ColdChainSettings.ENV_SHIPMENTS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.eventStore().shipments()))),
                Map.entry(ColdChainSettings.ENV_EXPOSURE_TABLE,
                        Map.of("Ref", dev.logicalId(stack.coldChainStore().exposure()))),
                Map.entry(ColdChainSettings.ENV_INCIDENTS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.coldChainStore().incidents()))),
                Map.entry(ColdChainSettings.ENV_COMPLIANCE_TABLE,
                        Map.of("Ref", dev.logicalId(stack.coldChainStore().compliance()))),
                Map.entry(ColdChainSettings.ENV_INCIDENT_TOPIC_ARN,
                        Map.of("Ref", dev.logicalId(stack.incidentNotifications().topic()))),
                Map.entry(ColdChainSettings.ENV_CANONICAL_STREAM_NAME,
                        Map.of("Ref", dev.logicalId(stack.canonicalEvents().stream()))),
                Map.entry(ColdChainSettings.ENV_PRODUCT_CLASS, "chilled-biologics-2-8"),
                Map.entry(ColdChainSettings.ENV_ATTENTION_SEVERITY,
                        String.valueOf(io.waybill.domain.coldchain.ColdChainConfig.DEFAULT_ATTENTION_SEVERITY)),
                Map.entry(ColdChainSettings.ENV_CONFIRM_AFTER_SECONDS,
                        String.valueOf(StageConfig.DEFAULT_BREACH_CONFIRM_SECONDS)),
                Map.entry("POWERTOOLS_SERVICE_NAME", "coldchain"),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", "Waybill"));
    }

    @Test
    void productClassAndConfirmationDelayComeFromContext() {
        // a default class the stage's catalog file adds (the presets do not have it)
        assertThat(environment(SynthesizedStacks.loadTest()))
                .containsEntry(ColdChainSettings.ENV_PRODUCT_CLASS, "ultra-frozen-80")
                .containsEntry(ColdChainSettings.ENV_CONFIRM_AFTER_SECONDS, "300");
    }

    @Test
    void bothDecidingFunctionsGetExactlyTheCatalogFilesClassesAndWithoutAFileNeitherGetsACatalog() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var expected = json.readTree(SynthesizedStacks.LOAD_TEST_PRODUCT_CLASSES);
        var loadTest = SynthesizedStacks.loadTest();
        for (var fn : List.of(loadTest.stack().coldChain().function(), loadTest.stack().breachConfirmer().function())) {
            Object value = asMap(asMap(loadTest.properties(fn).get("Environment")).get("Variables"))
                    .get(ColdChainSettings.ENV_PRODUCT_CLASSES);
            assertThat(value).as(loadTest.logicalId(fn)).isInstanceOf(String.class);
            assertThat(json.readTree((String) value)).as(loadTest.logicalId(fn)).isEqualTo(expected);
            // the functions' own parser accepts it, and it holds the file's two classes only
            assertThat(io.waybill.domain.coldchain.ProductClassCatalog.parse((String) value, "test").names())
                    .containsExactly("ultra-frozen-80", "frozen");
        }
        for (var fn : List.of(dev.stack().coldChain().function(), dev.stack().breachConfirmer().function())) {
            assertThat(asMap(asMap(dev.properties(fn).get("Environment")).get("Variables")))
                    .as(dev.logicalId(fn)).doesNotContainKey(ColdChainSettings.ENV_PRODUCT_CLASSES);
        }
        assertThat(ColdChainService.PRODUCT_CLASSES_VARIABLE).isEqualTo(ColdChainSettings.ENV_PRODUCT_CLASSES);
    }

    @Test
    void functionCodeIsTheShadedColdChainJar() throws Exception {
        FunctionAssertions.assertCodeIsShadedJar(dev, function,
                BuildArtifacts.in(SynthesizedStacks.repoRoot()).coldChainJar(), "waybill-coldchain-");
    }

    @Test
    void functionLogsAreKeptThirtyDaysInItsOwnLogGroup() {
        FunctionAssertions.assertLogsKeptThirtyDaysIn(dev, function, "/aws/lambda/waybill-dev-coldchain");
    }

    @Test
    void functionRoleHasNoManagedPolicies() {
        assertThat(dev.properties(coldChain.role())).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void dynamoDbPermissionsAreExactlyTheActionsTheCodeUsesOnEachTable() {
        Map<String, Set<String>> expected = new TreeMap<>(decisionTableActions(dev));
        // issue 13: its consumer watermark, one conditional put per batch
        expected.put(dev.logicalId(dev.stack().consumerWatermarks().table()), Set.of("dynamodb:PutItem"));
        assertThat(dynamoDbActionsByTable(dev.policyStatements(coldChain.role()))).isEqualTo(expected);
    }

    /**
     * Table logical id -> the DynamoDB actions a function that acts on breaches (decision function, breach confirmer)
     * is allowed on it: exactly what the code calls.
     */
    static Map<String, Set<String>> decisionTableActions(SynthesizedStacks.Synthesized dev) {
        var stack = dev.stack();
        return new TreeMap<>(Map.of(
                dev.logicalId(stack.eventStore().events()), Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
                dev.logicalId(stack.eventStore().shipments()), Set.of("dynamodb:GetItem", "dynamodb:PutItem"),
                dev.logicalId(stack.coldChainStore().exposure()),
                Set.of("dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"),
                dev.logicalId(stack.coldChainStore().incidents()),
                Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"),
                dev.logicalId(stack.coldChainStore().incidents()) + "/index/byShipment", Set.of("dynamodb:Query"),
                dev.logicalId(stack.coldChainStore().compliance()), Set.of("dynamodb:PutItem", "dynamodb:Query")));
    }

    @Test
    void tableKeysMayBeUsedForEncryptionButNothingMore() {
        assertTableKeysForEncryptionOnly(dev, dev.policyStatements(coldChain.role()));
    }

    /** Each of the two table keys appears in one statement, allowing exactly decrypt, encrypt, generate data key. */
    static void assertTableKeysForEncryptionOnly(SynthesizedStacks.Synthesized dev,
                                                 List<SynthesizedStacks.Statement> statements) {
        for (var key : List.of(dev.stack().eventStore().key(), dev.stack().coldChainStore().key())) {
            Object arn = Map.of("Fn::GetAtt", List.of(dev.logicalId(key), "Arn"));
            assertThat(statements).filteredOn(s -> s.resources().contains(arn)).singleElement()
                    .satisfies(s -> assertThat(s.actions())
                            .containsExactlyInAnyOrder("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"));
        }
    }

    @Test
    void noWildcardActionsAndOnlyXRayOnEveryResource() {
        var statements = dev.policyStatements(coldChain.role());
        assertThat(statements).allSatisfy(s -> assertThat(s.effect()).isEqualTo("Allow"));
        assertThat(statements).flatExtracting(SynthesizedStacks.Statement::actions)
                .noneMatch(a -> a.endsWith(":*") || a.equals("*"))
                .noneMatch(a -> a.startsWith("dynamodb:") && a.contains("*"));
        assertThat(statements).filteredOn(s -> s.resources().contains("*")).singleElement()
                .satisfies(s -> assertThat(s.actions())
                        .containsExactlyInAnyOrder("xray:PutTraceSegments", "xray:PutTelemetryRecords"));
    }

    /** Table logical id -> DynamoDB actions allowed on it (table ARNs as Fn::GetAtt Arn). */
    static Map<String, Set<String>> dynamoDbActionsByTable(List<SynthesizedStacks.Statement> statements) {
        Map<String, Set<String>> byTable = new TreeMap<>();
        for (var s : statements) {
            List<String> actions = s.actions().stream().filter(a -> a.startsWith("dynamodb:")).toList();
            if (actions.isEmpty()) {
                continue;
            }
            for (Object resource : s.resources()) {
                // A table's ARN (Fn::GetAtt Arn), or one of its indexes ({"Fn::Join": ["", [<table ARN>, "/index/x"]]})
                Map<String, Object> arn = asMap(resource);
                String suffix = "";
                if (arn.containsKey("Fn::Join")) {
                    List<Object> parts = asList(asList(arn.get("Fn::Join")).get(1));
                    arn = asMap(parts.get(0));
                    suffix = parts.get(1).toString();
                }
                String table = asList(arn.get("Fn::GetAtt")).get(0).toString() + suffix;
                byTable.computeIfAbsent(table, t -> new TreeSet<>()).addAll(actions);
            }
        }
        return byTable;
    }

    private static Map<String, Object> environment(SynthesizedStacks.Synthesized variant) {
        return asMap(asMap(variant.properties(variant.stack().coldChain().function()).get("Environment"))
                .get("Variables"));
    }
}
