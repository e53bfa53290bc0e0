package io.waybill.infra;

import io.waybill.ingest.IngestConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.FunctionAssertions.assertRetriesWithoutLimitUntilRecordAge;
import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertInvokesTheLiveAliasOfThePublishedVersion;
import static io.waybill.infra.FunctionAssertions.assertReadsBatchesOf100WithinASecondFromTrimHorizon;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.FunctionAssertions.assertRunsOnJava21Arm64WithSnapStart;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

class IngestServiceTest {
    private static SynthesizedStacks.Synthesized dev;
    private static Map<String, Object> mapping;
    private static Map<String, Object> function;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        mapping = dev.mappingOn(dev.stack().ingest().alias());
        function = dev.properties(dev.stack().ingest().function());
    }

    @Test
    void eventSourceMappingReportsBatchItemFailures() {
        assertReportsBatchItemFailures(mapping);
    }

    @Test
    void failingBatchesAreRetriedUntilAnHourBeforeTheTelemetryStreamTrimsThem() {
        // dev: a week of retention, 168 h - 1 h = 167 h = 601 200 s (under Lambda's 604 800 s cap)
        assertThat(FunctionAssertions.retentionHoursOfSource(dev, mapping)).isEqualTo(168);
        assertRetriesWithoutLimitUntilRecordAge(mapping, 601_200);
        // load-test: retentionHours=48, 47 h = 169 200 s
        var loadTest = SynthesizedStacks.loadTest();
        Map<String, Object> loadTestMapping = loadTest.mappingOn(loadTest.stack().ingest().alias());
        assertThat(FunctionAssertions.retentionHoursOfSource(loadTest, loadTestMapping)).isEqualTo(48);
        assertRetriesWithoutLimitUntilRecordAge(loadTestMapping, 169_200);
    }

    @Test
    void exhaustedBatchesGoToTheFailedBatchesQueue() {
        assertExhaustedBatchesGoTo(dev, mapping, dev.stack().deadLetters().failedBatches());
    }

    @Test
    void eventSourceMappingReadsBatchesOf100WithinASecondFromTrimHorizon() {
        assertReadsBatchesOf100WithinASecondFromTrimHorizon(mapping, 1);
        assertThat(mapping).containsEntry("EventSourceArn",
                        Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().telemetry().stream()), "Arn")));
    }

    @Test
    void parallelizationFactorComesFromContext() {
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(loadTest.mappingOn(loadTest.stack().ingest().alias())).containsEntry("ParallelizationFactor", 2);
    }

    @Test
    void eventSourceMappingInvokesTheLiveAliasOfThePublishedVersion() {
        assertInvokesTheLiveAliasOfThePublishedVersion(dev, mapping, dev.stack().ingest().alias(),
                dev.stack().ingest().function());
    }

    @Test
    void functionRunsOnJava21Arm64WithSnapStartOnPublishedVersions() {
        assertRunsOnJava21Arm64WithSnapStart(function, "io.waybill.ingest.IngestHandler::handleRequest", 1024, 60);
    }

    @Test
    void handlerNamesAMethodTheIngestHandlerHas() throws Exception {
        String[] handler = IngestService.HANDLER.split("::");
        Class<?> type = Class.forName(handler[0]);
        assertThat(type.getMethod(handler[1], com.amazonaws.services.lambda.runtime.events.KinesisEvent.class,
                com.amazonaws.services.lambda.runtime.Context.class)).isNotNull();
    }

    @Test
    void functionEnvironmentNamesTheStageTablesAndDeadLetterQueue() {
        var stack = dev.stack();
        Map<String, Object> env = asMap(asMap(function.get("Environment")).get("Variables"));
        assertThat(env)
                .containsEntry(IngestConfig.ENV_EVENTS_TABLE, Map.of("Ref", dev.logicalId(stack.eventStore().events())))
                .containsEntry(IngestConfig.ENV_SHIPMENTS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.eventStore().shipments())))
                .containsEntry(IngestConfig.ENV_DEAD_LETTER_QUEUE_URL,
                        Map.of("Ref", dev.logicalId(stack.deadLetters().ingestDeadLetters())))
                .containsEntry(IngestConfig.ENV_WRITE_CONCURRENCY, String.valueOf(IngestConfig.DEFAULT_WRITE_CONCURRENCY))
                .containsEntry("POWERTOOLS_SERVICE_NAME", "ingest")
                .containsEntry("POWERTOOLS_METRICS_NAMESPACE", "Waybill")
                // contracts with functions/ingest (issue 10), written out: the canonical stream and the claim check
                .containsEntry("WAYBILL_CANONICAL_STREAM_NAME", Map.of("Ref", dev.logicalId(stack.canonicalEvents().stream())))
                .containsEntry("WAYBILL_DEAD_LETTER_BUCKET", Map.of("Ref", dev.logicalId(stack.deadLetterPayloads().bucket())))
                // SQS's classic 256 KiB, the same number as the queue's MaximumMessageSize
                .containsEntry(IngestConfig.ENV_DEAD_LETTER_INLINE_LIMIT_BYTES, "262144")
                .containsEntry(IngestConfig.ENV_CONSUMER_WATERMARKS_TABLE,
                        Map.of("Ref", dev.logicalId(stack.consumerWatermarks().table())));
        assertThat(dev.properties(stack.deadLetters().ingestDeadLetters())).containsEntry("MaximumMessageSize", 262144);
    }

    @Test
    void functionMayPublishToTheCanonicalStreamWithItsKey() {
        var stack = dev.stack();
        Object streamArn = Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.canonicalEvents().stream()), "Arn"));
        Object keyArn = Map.of("Fn::GetAtt", List.of(dev.logicalId(stack.canonicalEvents().key()), "Arn"));
        var statements = dev.policyStatements(stack.ingest().role());
        // KinesisCanonicalEventPublisher calls PutRecords and nothing else
        assertThat(actionsOn(statements, streamArn)).containsExactly("kinesis:PutRecords");
        // Kinesis server-side encryption: a producer needs a data key of the stream's key, and only through Kinesis
        assertThat(statements).filteredOn(s -> s.resources().contains(keyArn)).singleElement()
                .satisfies(s -> assertThat(s.actions()).containsExactly("kms:GenerateDataKey"));
        assertThat(dev.policyStatements(stack.ingest().role()).toString()).doesNotContain("kms:GenerateDataKey*");
    }

    @Test
    void functionMayOnlyPutDeadLetterPayloadsIntoTheirBucket() {
        var payloads = dev.stack().deadLetterPayloads();
        Object objects = Map.of("Fn::Join", List.of("", List.of(
                Map.of("Fn::GetAtt", List.of(dev.logicalId(payloads.bucket()), "Arn")), "/*")));
        Object keyArn = Map.of("Fn::GetAtt", List.of(dev.logicalId(payloads.key()), "Arn"));
        var statements = dev.policyStatements(dev.stack().ingest().role());
        assertThat(actionsOn(statements, objects)).containsExactly("s3:PutObject");
        assertThat(actionsOn(statements, keyArn)).containsExactly("kms:GenerateDataKey");
        assertThat(statements).flatExtracting(SynthesizedStacks.Statement::actions)
                .filteredOn(a -> a.startsWith("s3:")).containsExactly("s3:PutObject");
    }

    @Test
    void aStageWithLegacyDataGivesIngestItsCutoverAndOnlyThatStage() {
        var loadTest = SynthesizedStacks.loadTest(); // context legacyIdCutover=2026-12-02T19:00:00Z
        Map<String, Object> env = asMap(asMap(loadTest.properties(loadTest.stack().ingest().function())
                .get("Environment")).get("Variables"));
        assertThat(env).containsEntry(IngestConfig.ENV_LEGACY_ID_CUTOVER, "2026-12-02T19:00:00Z");
        Object loadTestEvents = Map.of("Fn::GetAtt", List.of(loadTest.logicalId(loadTest.stack().eventStore().events()), "Arn"));
        assertThat(actionsOn(loadTest.policyStatements(loadTest.stack().ingest().role()), loadTestEvents))
                .containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:GetItem");

        // dev has no legacy data: no variable. Its ingest still reads the events table by key (the ledger's read of
        // a stored copy a failed conditional put did not return), and does nothing else there.
        assertThat(asMap(asMap(function.get("Environment")).get("Variables")))
                .doesNotContainKey(IngestConfig.ENV_LEGACY_ID_CUTOVER);
        Object devEvents = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().eventStore().events()), "Arn"));
        assertThat(actionsOn(dev.policyStatements(dev.stack().ingest().role()), devEvents))
                .containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:GetItem");
    }

    @Test
    void functionIsGivenTheDeviceRegistryAndTheStagesUnassignedPolicy() {
        // contract of issue 11 (/tmp spec "Ingest configuration"), written out
        Map<String, Object> env = asMap(asMap(function.get("Environment")).get("Variables"));
        assertThat(env).containsEntry("WAYBILL_DEVICE_REGISTRY_TABLE",
                        Map.of("Ref", dev.logicalId(dev.stack().deviceRegistry().table())))
                .containsEntry("WAYBILL_UNASSIGNED_POLICY", "reject")
                .doesNotContainKey("WAYBILL_REPLAY_WINDOW"); // the function's default (65 536) applies

        var loadTest = SynthesizedStacks.loadTest(); // unassignedPolicy=flag, replayWindow=100000
        Map<String, Object> loadTestEnv = asMap(asMap(loadTest.properties(loadTest.stack().ingest().function())
                .get("Environment")).get("Variables"));
        assertThat(loadTestEnv).containsEntry("WAYBILL_UNASSIGNED_POLICY", "flag")
                .containsEntry("WAYBILL_REPLAY_WINDOW", "100000")
                .containsEntry("WAYBILL_DEVICE_REGISTRY_TABLE",
                        Map.of("Ref", loadTest.logicalId(loadTest.stack().deviceRegistry().table())));
    }

    @Test
    void functionReadsTheRegistryAndMayUpdateOnlySequenceItemsWithTheRegistryKeyThroughDynamoDb() {
        var registry = dev.stack().deviceRegistry();
        Object tableArn = Map.of("Fn::GetAtt", List.of(dev.logicalId(registry.table()), "Arn"));
        Object keyArn = Map.of("Fn::GetAtt", List.of(dev.logicalId(registry.key()), "Arn"));
        var statements = dev.policyStatements(dev.stack().ingest().role());
        assertThat(actionsOn(statements, tableArn)).containsExactlyInAnyOrder("dynamodb:GetItem",
                "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:UpdateItem");
        assertThat(actionsOn(statements, keyArn)).containsExactlyInAnyOrder("kms:Decrypt", "kms:Encrypt",
                "kms:GenerateDataKey");
        // the condition itself is asserted on the raw statement in LeastPrivilegeTest
    }

    /** Every action {@code statements} allow on {@code resource}. */
    static List<String> actionsOn(List<SynthesizedStacks.Statement> statements, Object resource) {
        return statements.stream().filter(s -> s.resources().contains(resource))
                .flatMap(s -> s.actions().stream()).distinct().toList();
    }

    @Test
    void functionCodeIsTheShadedIngestJar() throws Exception {
        String key = asMap(function.get("Code")).get("S3Key").toString();
        Path real = BuildArtifacts.in(SynthesizedStacks.repoRoot()).ingestJar();
        assertThat(real.getFileName().toString()).endsWith("-lambda.jar");
        assertThat(sha256(dev.stagedAsset(key))).isEqualTo(sha256(real));
    }

    @Test
    void functionLogsAreKeptThirtyDaysInItsOwnLogGroup() {
        String logGroupId = dev.resources("AWS::Logs::LogGroup").entrySet().stream()
                .filter(e -> "/aws/lambda/waybill-dev-ingest".equals(asMap(e.getValue().get("Properties")).get("LogGroupName")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(asMap(dev.resources("AWS::Logs::LogGroup").get(logGroupId).get("Properties")))
                .containsEntry("RetentionInDays", 30).containsEntry("LogGroupName", "/aws/lambda/waybill-dev-ingest");
        assertThat(function.get("LoggingConfig")).isEqualTo(Map.of("LogGroup", Map.of("Ref", logGroupId)));
    }

    @Test
    void functionRoleHasNoManagedPolicies() {
        String role = dev.logicalId(dev.stack().ingest().role());
        assertThat(asMap(dev.resources("AWS::IAM::Role").get(role).get("Properties"))).doesNotContainKey("ManagedPolicyArns");
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
