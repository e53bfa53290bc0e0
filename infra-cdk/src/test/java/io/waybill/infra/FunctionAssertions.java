package io.waybill.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** Assertions every {@link JavaFunction} shares, on a synthesised {@code AWS::Lambda::Function}'s Properties. */
final class FunctionAssertions {
    private FunctionAssertions() {
    }

    /** The function logs to its own log group, {@code logGroupName}, kept thirty days. */
    static void assertLogsKeptThirtyDaysIn(SynthesizedStacks.Synthesized synthesized, Map<String, Object> function,
                                           String logGroupName) {
        String logGroupId = asMap(function.get("LoggingConfig")).get("LogGroup").toString()
                .replace("{Ref=", "").replace("}", "");
        assertThat(asMap(synthesized.resources("AWS::Logs::LogGroup").get(logGroupId).get("Properties")))
                .containsEntry("RetentionInDays", 30)
                .containsEntry("LogGroupName", logGroupName);
    }

    /**
     * The enabled rule {@code schedule}, named {@code ruleName}, invokes {@code function} (only target) on
     * {@code expression}, giving up an event after {@code maxEventAgeSeconds} and two retries, and the function
     * allows EventBridge to invoke it from that rule.
     */
    static void assertScheduleInvokes(SynthesizedStacks.Synthesized synthesized, software.constructs.IConstruct schedule,
                                      software.constructs.IConstruct function, String expression, String ruleName,
                                      int maxEventAgeSeconds) {
        Object functionArn = Map.of("Fn::GetAtt", List.of(synthesized.logicalId(function), "Arn"));
        Map<String, Object> rule = synthesized.properties(schedule);
        assertThat(rule).containsEntry("ScheduleExpression", expression)
                .containsEntry("State", "ENABLED")
                .containsEntry("Name", ruleName);
        assertThat(asList(rule.get("Targets"))).singleElement().satisfies(t -> assertThat(asMap(t))
                .containsEntry("Arn", functionArn)
                .containsEntry("RetryPolicy", Map.of("MaximumEventAgeInSeconds", maxEventAgeSeconds,
                        "MaximumRetryAttempts", FunctionSchedule.RETRY_ATTEMPTS)));
        assertThat(synthesized.resources("AWS::Lambda::Permission").values()).map(p -> asMap(p.get("Properties")))
                .filteredOn(p -> "events.amazonaws.com".equals(p.get("Principal")))
                .filteredOn(p -> functionArn.equals(p.get("FunctionName"))).singleElement()
                .satisfies(p -> assertThat(p).containsEntry("SourceArn",
                        Map.of("Fn::GetAtt", List.of(synthesized.logicalId(schedule), "Arn"))));
    }

    /**
     * The function's code is the shaded jar {@code real} (named {@code <jarPrefix>...-lambda.jar}) byte for byte, as
     * staged for upload.
     */
    static void assertCodeIsShadedJar(SynthesizedStacks.Synthesized synthesized, Map<String, Object> function,
                                      Path real, String jarPrefix) throws Exception {
        String key = asMap(function.get("Code")).get("S3Key").toString();
        assertThat(real.getFileName().toString()).startsWith(jarPrefix).endsWith("-lambda.jar");
        assertThat(IngestServiceTest.sha256(synthesized.stagedAsset(key))).isEqualTo(IngestServiceTest.sha256(real));
    }

    /**
     * A stream consumer's function ({@code AWS::Lambda::Function} Properties): {@code handler} on Java 21, arm64,
     * SnapStart on published versions, {@code memoryMb} and {@code timeoutSeconds}, active tracing.
     */
    static void assertRunsOnJava21Arm64WithSnapStart(Map<String, Object> function, String handler, int memoryMb,
                                                     int timeoutSeconds) {
        assertThat(function).containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("arm64"))
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"))
                .containsEntry("Handler", handler)
                .containsEntry("MemorySize", memoryMb)
                .containsEntry("Timeout", timeoutSeconds)
                .containsEntry("TracingConfig", Map.of("Mode", "Active"));
    }

    /**
     * A telemetry stream consumer's event source mapping ({@link StreamConsumer}, its Properties): the handler's
     * partial batch failures are reported, not ignored.
     */
    static void assertReportsBatchItemFailures(Map<String, Object> mapping) {
        assertThat(mapping.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures"));
    }

    /**
     * A failing batch is bisected and retried without a limit on attempts (-1), its records given up only at
     * {@code maxRecordAgeSeconds}: the test works that age out by hand from the source stream's retention.
     */
    static void assertRetriesWithoutLimitUntilRecordAge(Map<String, Object> mapping, int maxRecordAgeSeconds) {
        assertThat(mapping).containsEntry("BisectBatchOnFunctionError", true)
                .containsEntry("MaximumRetryAttempts", -1)
                .containsEntry("MaximumRecordAgeInSeconds", maxRecordAgeSeconds);
    }

    /** The source stream's {@code RetentionPeriodHours}: the stream the mapping reads, looked up by its ARN. */
    static int retentionHoursOfSource(SynthesizedStacks.Synthesized synthesized, Map<String, Object> mapping) {
        String stream = asList(asMap(mapping.get("EventSourceArn")).get("Fn::GetAtt")).get(0).toString();
        return (Integer) asMap(synthesized.resources("AWS::Kinesis::Stream").get(stream).get("Properties"))
                .get("RetentionPeriodHours");
    }

    /** Batches that exhaust their retries or record age go to {@code queue}. */
    static void assertExhaustedBatchesGoTo(SynthesizedStacks.Synthesized synthesized, Map<String, Object> mapping,
                                           software.constructs.IConstruct queue) {
        String queueId = synthesized.logicalId(queue);
        assertThat(mapping.get("DestinationConfig")).isEqualTo(
                Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(queueId, "Arn")))));
    }

    /** Batches of 100 records within a second, from the trim horizon, {@code parallelizationFactor} per shard. */
    static void assertReadsBatchesOf100WithinASecondFromTrimHorizon(Map<String, Object> mapping,
                                                                    int parallelizationFactor) {
        assertThat(mapping).containsEntry("BatchSize", 100)
                .containsEntry("MaximumBatchingWindowInSeconds", 1)
                .containsEntry("StartingPosition", "TRIM_HORIZON")
                .containsEntry("ParallelizationFactor", parallelizationFactor);
    }

    /** The mapping invokes {@code alias}, named {@code live}, of a published version of {@code function}. */
    static void assertInvokesTheLiveAliasOfThePublishedVersion(SynthesizedStacks.Synthesized synthesized,
                                                               Map<String, Object> mapping,
                                                               software.amazon.awscdk.services.lambda.Alias alias,
                                                               software.amazon.awscdk.services.lambda.Function function) {
        assertThat(mapping.get("FunctionName").toString()).contains("Ref=" + synthesized.logicalId(alias))
                .contains(":live");
        Map<String, Object> aliasProps = synthesized.properties(alias);
        assertThat(aliasProps).containsEntry("Name", "live");
        String version = asList(asMap(aliasProps.get("FunctionVersion")).get("Fn::GetAtt")).get(0).toString();
        assertThat(synthesized.resources("AWS::Lambda::Version").get(version).get("Properties").toString())
                .contains("Ref=" + synthesized.logicalId(function));
    }

    /**
     * A scheduled job's role: DynamoDB and KMS statements, and one statement for its own log streams; no other
     * service and no {@code Resource: *}.
     */
    static void assertOnlyTableKeyAndOwnLogGrants(java.util.List<SynthesizedStacks.Statement> statements) {
        org.assertj.core.api.Assertions.assertThat(statements)
                .filteredOn(s -> s.actions().stream().anyMatch(a -> a.startsWith("logs:")))
                .singleElement().satisfies(s -> org.assertj.core.api.Assertions.assertThat(s.actions())
                        .containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents"));
        org.assertj.core.api.Assertions.assertThat(statements).flatExtracting(SynthesizedStacks.Statement::actions)
                .allMatch(a -> a.startsWith("dynamodb:") || a.startsWith("kms:") || a.startsWith("logs:"));
        org.assertj.core.api.Assertions.assertThat(statements)
                .flatExtracting(SynthesizedStacks.Statement::resources).doesNotContain("*");
    }
}
