package io.waybill.infra;

import io.waybill.kpi.KpiMetrics;
import io.waybill.kpi.KpiSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduled KPI publisher: function, schedule, environment and exactly scoped read-only role. */
class KpiPublisherTest {
    private static SynthesizedStacks.Synthesized dev;
    private static KpiPublisher kpi;
    private static Map<String, Object> function;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        kpi = dev.stack().kpi();
        function = dev.properties(kpi.function());
    }

    private static Object arn(software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(dev.logicalId(construct), "Arn"));
    }

    @Test
    void aRuleRunsTheKpiFunctionEveryFifteenMinutesByDefault() {
        FunctionAssertions.assertScheduleInvokes(dev, kpi.schedule(), kpi.function(), "rate(15 minutes)",
                "waybill-dev-kpi", 900);
    }

    @Test
    void theScheduleComesFromContext() {
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(loadTest.properties(loadTest.stack().kpi().schedule()))
                .containsEntry("ScheduleExpression", "rate(30 minutes)")
                .containsEntry("Name", "waybill-load-test-kpi");
    }

    @Test
    void functionRunsThePublisherFromTheKpiJarOnJava21Arm64() {
        assertThat(function).containsEntry("FunctionName", "waybill-dev-kpi")
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Handler", "io.waybill.kpi.KpiPublisherHandler::handleRequest")
                .containsEntry("MemorySize", 1024)
                .containsEntry("Timeout", 300)
                .doesNotContainKey("SnapStart");
    }

    @Test
    void handlerNamesAMethodThePublisherHas() throws Exception {
        String[] handler = KpiPublisher.HANDLER.split("::");
        assertThat(Class.forName(handler[0]).getMethod(handler[1],
                com.amazonaws.services.lambda.runtime.events.ScheduledEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class)).isNotNull();
    }

    @Test
    void functionCodeIsTheShadedKpiJar() throws Exception {
        FunctionAssertions.assertCodeIsShadedJar(dev, function,
                BuildArtifacts.in(SynthesizedStacks.repoRoot()).kpiJar(), "waybill-kpi-");
    }

    @Test
    void environmentNamesTheThreeTablesTheProductClassAndTheMetricsService() {
        var stores = dev.stack();
        assertThat(asMap(asMap(function.get("Environment")).get("Variables"))).containsOnly(
                Map.entry(KpiSettings.ENV_AGGREGATES_TABLE,
                        Map.of("Ref", dev.logicalId(stores.kpiAggregator().aggregates()))),
                Map.entry(KpiSettings.ENV_INCIDENTS_TABLE,
                        Map.of("Ref", dev.logicalId(stores.coldChainStore().incidents()))),
                Map.entry(KpiSettings.ENV_EXPOSURE_TABLE,
                        Map.of("Ref", dev.logicalId(stores.coldChainStore().exposure()))),
                Map.entry(KpiSettings.ENV_PRODUCT_CLASS, "chilled-biologics-2-8"),
                Map.entry(KpiMetrics.ENV_SERVICE, "kpi"),
                Map.entry(KpiMetrics.ENV_NAMESPACE, KpiMetrics.NAMESPACE));
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(asMap(asMap(loadTest.properties(loadTest.stack().kpi().function()).get("Environment"))
                .get("Variables"))).containsEntry(KpiSettings.ENV_PRODUCT_CLASS, "ultra-frozen-80");
    }

    @Test
    void withTheStagesCatalogFileTheKpiPublisherKnowsTheDefaultClassTheFileAdds() throws Exception {
        // The load-test default class exists only in its catalog file: without the catalog the publisher would
        // refuse to start (or measure against another band).
        var loadTest = SynthesizedStacks.loadTest();
        Object value = asMap(asMap(loadTest.properties(loadTest.stack().kpi().function()).get("Environment"))
                .get("Variables")).get(KpiSettings.ENV_PRODUCT_CLASSES);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree((String) value)).isEqualTo(json.readTree(SynthesizedStacks.LOAD_TEST_PRODUCT_CLASSES));
    }

    @Test
    void functionLogsAreKeptThirtyDaysInItsOwnLogGroup() {
        FunctionAssertions.assertLogsKeptThirtyDaysIn(dev, function, "/aws/lambda/waybill-dev-kpi");
    }

    @Test
    void roleMayOnlyScanAndQueryTheTablesItReadsDecryptAndWriteItsLogs() {
        assertThat(dev.properties(kpi.role())).doesNotContainKey("ManagedPolicyArns");
        var stores = dev.stack();
        var statements = dev.policyStatements(kpi.role());
        assertThat(statements).allSatisfy(s -> assertThat(s.effect()).isEqualTo("Allow"));
        // Every DynamoDB action, per table ARN: exactly these, nothing on shipments, compliance or any index.
        Map<Object, List<String>> dynamo = new java.util.HashMap<>();
        statements.stream().filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .forEach(s -> s.resources().forEach(r -> dynamo.computeIfAbsent(r, k -> new java.util.ArrayList<>())
                        .addAll(s.actions())));
        // Issue 12: no access to the event store; Query and GetItem on the aggregates, no Scan of them.
        assertThat(dynamo).containsOnlyKeys(arn(stores.kpiAggregator().aggregates()),
                arn(stores.coldChainStore().incidents()), arn(stores.coldChainStore().exposure()));
        assertThat(dynamo.get(arn(stores.kpiAggregator().aggregates())))
                .containsExactlyInAnyOrder("dynamodb:Query", "dynamodb:GetItem");
        assertThat(dynamo.get(arn(stores.coldChainStore().incidents()))).containsExactly("dynamodb:Scan");
        assertThat(dynamo.get(arn(stores.coldChainStore().exposure())))
                .containsExactlyInAnyOrder("dynamodb:Scan", "dynamodb:Query");
        // KMS: decrypt only, with the two tables' keys.
        var kms = statements.stream().filter(s -> s.actions().stream().anyMatch(a -> a.startsWith("kms:"))).toList();
        assertThat(kms).flatExtracting(SynthesizedStacks.Statement::actions).containsOnly("kms:Decrypt");
        assertThat(kms).flatExtracting(SynthesizedStacks.Statement::resources).containsExactlyInAnyOrder(
                arn(stores.kpiAggregator().key()), arn(stores.coldChainStore().key()));
        FunctionAssertions.assertOnlyTableKeyAndOwnLogGrants(statements);
    }

    @Test
    void noOtherRoleGainedTheKpiGrants() {
        for (var role : List.of(dev.stack().ingest().role(), dev.stack().coldChain().role(),
                dev.stack().incidentBacklog().role())) {
            assertThat(dev.policyStatements(role)).flatExtracting(SynthesizedStacks.Statement::actions)
                    .doesNotContain("dynamodb:Scan");
        }
    }
}
