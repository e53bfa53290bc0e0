package io.waybill.infra;

import io.waybill.aws.coldchain.EvidenceItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduled breach confirmer: acts on breaches that held with no further evidence, as the decision function. */
class BreachConfirmerTest {
    private static SynthesizedStacks.Synthesized dev;
    private static BreachConfirmer confirmer;
    private static Map<String, Object> function;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        confirmer = dev.stack().breachConfirmer();
        function = dev.properties(confirmer.function());
    }

    @Test
    void aRuleRunsTheConfirmerEveryMinuteByDefault() {
        FunctionAssertions.assertScheduleInvokes(dev, confirmer.schedule(), confirmer.function(), "rate(1 minute)",
                "waybill-dev-breach-confirmer", 60);
    }

    @Test
    void theScheduleComesFromContext() {
        var loadTest = SynthesizedStacks.loadTest();
        var loadConfirmer = loadTest.stack().breachConfirmer();
        FunctionAssertions.assertScheduleInvokes(loadTest, loadConfirmer.schedule(), loadConfirmer.function(),
                "rate(5 minutes)", "waybill-load-test-breach-confirmer", 300);
    }

    @Test
    void functionRunsThePendingBreachHandlerFromTheColdChainJarWithoutSnapStart() {
        assertThat(function).containsEntry("FunctionName", "waybill-dev-breach-confirmer")
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Handler", "io.waybill.coldchain.PendingBreachHandler::handleRequest")
                .containsEntry("MemorySize", 1024)
                .containsEntry("Timeout", 120)
                .doesNotContainKey("SnapStart")
                .doesNotContainKey("TracingConfig");
        assertThat(asMap(function.get("Code")).get("S3Key"))
                .isEqualTo(asMap(dev.properties(dev.stack().coldChain().function()).get("Code")).get("S3Key"));
        assertThat(dev.resources("AWS::Lambda::Alias").values()).map(a -> asMap(a.get("Properties")))
                .noneMatch(a -> a.get("FunctionName").equals(Map.of("Ref", dev.logicalId(confirmer.function()))));
    }

    @Test
    void handlerNamesAMethodThePendingBreachHandlerHas() throws Exception {
        String[] handler = BreachConfirmer.HANDLER.split("::");
        assertThat(Class.forName(handler[0]).getMethod(handler[1],
                com.amazonaws.services.lambda.runtime.events.ScheduledEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class)).isNotNull();
    }

    @Test
    void environmentIsTheDecisionFunctionsExceptTheMetricsService() {
        for (var variant : List.of(dev, SynthesizedStacks.loadTest())) {
            Map<String, Object> decision = environment(variant, variant.stack().coldChain().function());
            Map<String, Object> expected = new HashMap<>(decision);
            expected.put("POWERTOOLS_SERVICE_NAME", "breach-confirmer");
            // the confirmer consumes no stream: no consumer watermark (issue 13)
            expected.remove(io.waybill.coldchain.ColdChainSettings.ENV_CONSUMER_WATERMARKS_TABLE);
            assertThat(environment(variant, variant.stack().breachConfirmer().function()))
                    .as(variant.stack().getStackName()).isEqualTo(expected);
            assertThat(decision).containsEntry("POWERTOOLS_SERVICE_NAME", "coldchain");
        }
    }

    @Test
    void bothFunctionsWaitTheConfirmationDelayFromContext() {
        var loadTest = SynthesizedStacks.loadTest();
        for (var variant : List.of(dev, loadTest)) {
            String seconds = variant == dev ? "120" : "300";
            for (var fn : List.of(variant.stack().coldChain().function(), variant.stack().breachConfirmer().function())) {
                assertThat(environment(variant, fn)).as(variant.logicalId(fn))
                        .containsEntry(io.waybill.coldchain.ColdChainSettings.ENV_CONFIRM_AFTER_SECONDS, seconds);
            }
        }
    }

    @Test
    void functionLogsAreKeptThirtyDaysInItsOwnLogGroup() {
        FunctionAssertions.assertLogsKeptThirtyDaysIn(dev, function, "/aws/lambda/waybill-dev-breach-confirmer");
    }

    @Test
    void roleMayDoToTheTablesExactlyWhatTheDecisionFunctionDoesPlusQueryThePendingBreachIndex() {
        assertThat(dev.properties(confirmer.role())).doesNotContainKey("ManagedPolicyArns");
        assertThat(confirmer.role()).isNotSameAs(dev.stack().coldChain().role());
        var statements = dev.policyStatements(confirmer.role());
        assertThat(statements).allSatisfy(s -> assertThat(s.effect()).isEqualTo("Allow"));
        Object index = Map.of("Fn::Join", List.of("", List.of(
                Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().coldChainStore().exposure()), "Arn")),
                "/index/" + EvidenceItem.BY_PENDING_BREACH_INDEX)));
        assertThat(statements).filteredOn(s -> s.resources().contains(index)).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactly("dynamodb:Query");
            assertThat(s.resources()).containsExactly(index);
        });
        var onTables = statements.stream().filter(s -> !s.resources().contains(index)).toList();
        assertThat(ColdChainServiceTest.dynamoDbActionsByTable(onTables))
                .isEqualTo(ColdChainServiceTest.decisionTableActions(dev))
                .isEqualTo(withoutWatermarks(ColdChainServiceTest.dynamoDbActionsByTable(
                        dev.policyStatements(dev.stack().coldChain().role()))));
        ColdChainServiceTest.assertTableKeysForEncryptionOnly(dev, statements);
        // No stream, queue or X-Ray grant: it is neither a stream consumer nor traced. It publishes the incidents it
        // opens or escalates to the incident topic, as the decision function does (IncidentNotificationsTest).
        Object topic = Map.of("Ref", dev.logicalId(dev.stack().incidentNotifications().topic()));
        Object topicKey = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().incidentNotifications().key()), "Arn"));
        assertThat(statements).filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("sns:")))
                .singleElement().satisfies(s -> {
                    assertThat(s.actions()).containsExactly("sns:Publish");
                    assertThat(s.resources()).containsExactly(topic);
                });
        // Issue 14: the decisions it records go onto the canonical stream (PutRecords and the producer's key action).
        Object stream = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().canonicalEvents().stream()), "Arn"));
        Object streamKey = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().canonicalEvents().key()), "Arn"));
        assertThat(IngestServiceTest.actionsOn(statements, stream)).containsExactly("kinesis:PutRecords");
        assertThat(IngestServiceTest.actionsOn(statements, streamKey)).containsExactly("kms:GenerateDataKey");
        FunctionAssertions.assertOnlyTableKeyAndOwnLogGrants(statements.stream()
                .filter(s -> !s.resources().contains(topic) && !s.resources().contains(topicKey)
                        && !s.resources().contains(stream) && !s.resources().contains(streamKey)).toList());
    }

    @Test
    void noOtherRoleMayQueryThePendingBreachIndex() {
        String indexSuffix = "/index/" + ColdChainStore.BY_PENDING_BREACH_INDEX;
        for (var role : List.of(dev.stack().ingest().role(), dev.stack().coldChain().role(),
                dev.stack().incidentBacklog().role(), dev.stack().kpi().role())) {
            assertThat(dev.policyStatements(role).toString()).as(dev.logicalId(role)).doesNotContain(indexSuffix);
        }
    }

    private static Map<String, Object> environment(SynthesizedStacks.Synthesized variant,
                                                   software.constructs.IConstruct fn) {
        return asMap(asMap(variant.properties(fn).get("Environment")).get("Variables"));
    }

    /** The decision function's grants less its consumer watermark (the confirmer consumes no stream). */
    private static Map<String, java.util.Set<String>> withoutWatermarks(Map<String, java.util.Set<String>> grants) {
        Map<String, java.util.Set<String>> out = new java.util.TreeMap<>(grants);
        out.remove(dev.logicalId(dev.stack().consumerWatermarks().table()));
        return out;
    }
}
