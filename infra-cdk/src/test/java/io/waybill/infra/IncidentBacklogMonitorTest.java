package io.waybill.infra;

import io.waybill.coldchain.ColdChainSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduled incident-backlog function: what the exception-age alarm watches. */
class IncidentBacklogMonitorTest {
    private static SynthesizedStacks.Synthesized dev;
    private static IncidentBacklogMonitor backlog;
    private static Map<String, Object> function;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        backlog = dev.stack().incidentBacklog();
        function = dev.properties(backlog.function());
    }

    @Test
    void aRuleRunsTheBacklogFunctionEveryFiveMinutes() {
        FunctionAssertions.assertScheduleInvokes(dev, backlog.schedule(), backlog.function(), "rate(5 minutes)",
                "waybill-dev-incident-backlog", 300);
    }

    @Test
    void functionRunsTheBacklogHandlerFromTheColdChainJarWithoutSnapStart() {
        assertThat(function).containsEntry("FunctionName", "waybill-dev-incident-backlog")
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("Handler", "io.waybill.coldchain.IncidentBacklogHandler::handleRequest")
                .containsEntry("MemorySize", 512)
                .containsEntry("Timeout", 30)
                .doesNotContainKey("SnapStart");
        assertThat(asMap(function.get("Code")).get("S3Key"))
                .isEqualTo(asMap(dev.properties(dev.stack().coldChain().function()).get("Code")).get("S3Key"));
    }

    @Test
    void handlerNamesAMethodTheBacklogHandlerHas() throws Exception {
        String[] handler = IncidentBacklogMonitor.HANDLER.split("::");
        assertThat(Class.forName(handler[0]).getMethod(handler[1],
                com.amazonaws.services.lambda.runtime.events.ScheduledEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class)).isNotNull();
    }

    @Test
    void functionEnvironmentNamesTheIncidentsTableAndTheMetricsService() {
        assertThat(asMap(asMap(function.get("Environment")).get("Variables"))).containsOnly(
                Map.entry(ColdChainSettings.ENV_INCIDENTS_TABLE,
                        Map.of("Ref", dev.logicalId(dev.stack().coldChainStore().incidents()))),
                Map.entry("POWERTOOLS_SERVICE_NAME", "incident-backlog"),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", "Waybill"));
    }

    @Test
    void functionLogsAreKeptThirtyDaysInItsOwnLogGroup() {
        FunctionAssertions.assertLogsKeptThirtyDaysIn(dev, function, "/aws/lambda/waybill-dev-incident-backlog");
    }

    @Test
    void roleMayOnlyQueryTheByStatusIndexDecryptAndWriteItsLogs() {
        assertThat(dev.properties(backlog.role())).doesNotContainKey("ManagedPolicyArns");
        String incidents = dev.logicalId(dev.stack().coldChainStore().incidents());
        Object byStatusIndex = Map.of("Fn::Join", List.of("", List.of(
                Map.of("Fn::GetAtt", List.of(incidents, "Arn")), "/index/byStatus")));
        var statements = dev.policyStatements(backlog.role());
        assertThat(statements).hasSize(3).allSatisfy(s -> assertThat(s.effect()).isEqualTo("Allow"));
        assertThat(statements).filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("dynamodb:")))
                .singleElement().satisfies(s -> {
                    assertThat(s.actions()).containsExactly("dynamodb:Query");
                    assertThat(s.resources()).containsExactly(byStatusIndex);
                });
        assertThat(statements).filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("kms:")))
                .singleElement().satisfies(s -> {
                    assertThat(s.actions()).containsExactly("kms:Decrypt");
                    assertThat(s.resources()).containsExactly(
                            Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().coldChainStore().key()), "Arn")));
                });
        assertThat(statements).filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("logs:")))
                .singleElement().satisfies(s -> assertThat(s.actions())
                        .containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents"));
        assertThat(statements).flatExtracting(SynthesizedStacks.Statement::resources).doesNotContain("*");
    }
}
