package io.waybill.infra;

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
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.FunctionAssertions.assertRetriesWithoutLimitUntilRecordAge;
import static io.waybill.infra.FunctionAssertions.assertScheduleInvokes;
import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14, production wiring: the anchor ledger and proofs tables, the intake on the canonical stream, the anchoring
 * run every minute, the signing key only the run may use, the AMB node behind {@code chain: amb}, the ops API's proof
 * reads, the alarms and outputs. The anchor jar is not built yet in this module's reactor: the stacks are synthesised
 * with a stand-in jar (an empty zip) through {@link BuildArtifacts#withAnchorJar}.
 */
class ProvenanceAnchoringTest {
    /** A Sepolia-like staging chain: written out by hand, the values the run's environment must carry. */
    static final String REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    static final Map<String, Object> RPC_SECTION = Map.of(
            "chain", "rpc",
            "rpcUrl", "https://rpc.staging.example.com/eth",
            "chainId", 11155111,
            "registry", REGISTRY,
            "batchMaxEvents", 500,
            "batchMaxWait", "PT2M");
    /** As -c anchoring='...' gives it: a JSON string. */
    static final String AMB_SECTION = "{\"chain\":\"amb\",\"chainId\":1,\"registry\":\"" + REGISTRY + "\","
            + "\"nodeInstanceType\":\"bc.m5.xlarge\",\"nodeAvailabilityZone\":\"us-east-1a\"}";

    private static SynthesizedStacks.Synthesized rpc;
    private static SynthesizedStacks.Synthesized amb;
    private static ProvenanceAnchoring rpcAnchoring;
    private static ProvenanceAnchoring ambAnchoring;

    @BeforeAll
    static void synthesize() {
        rpc = synthesize("anchor-rpc", Map.of("stage", "anchor-rpc", AnchoringConfig.CTX_ANCHORING, RPC_SECTION));
        amb = synthesize("anchor-amb", Map.of("stage", "anchor-amb", AnchoringConfig.CTX_ANCHORING, AMB_SECTION));
        rpcAnchoring = rpc.stack().anchoring().orElseThrow();
        ambAnchoring = amb.stack().anchoring().orElseThrow();
    }

    /** As {@link WaybillApp#compose} does it (cdk-nag included), with the stand-in anchor jar. */
    private static SynthesizedStacks.Synthesized synthesize(String name, Map<String, Object> context) {
        Path outdir = SynthesizedStacks.outdir(name);
        App app = new App(AppProps.builder().outdir(outdir.toString()).context(new HashMap<>(context)).build());
        StageConfig config = StageConfig.fromContext(app.getNode());
        WaybillStack stack = new WaybillStack(app, config,
                BuildArtifacts.in(config.repoRoot()).withAnchorJar(standInJar()), StackProps.builder().build());
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        var assembly = app.synth();
        return new SynthesizedStacks.Synthesized(app, stack, Template.fromStack(stack), assembly, outdir);
    }

    private static Path standInJar() {
        Path jar = Path.of("target", "cdk-test-out", "anchor-jar", "waybill-anchor-test-lambda.jar");
        try {
            Files.createDirectories(jar.getParent());
            try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
                zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
                zip.write("Manifest-Version: 1.0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    void aStageWithoutTheSectionHasNoAnchoringResourcesAtAll() {
        SynthesizedStacks.Synthesized dev = SynthesizedStacks.dev();
        assertThat(dev.stack().config().anchoring().chain()).isEqualTo(AnchoringConfig.Chain.NONE);
        assertThat(dev.stack().anchoring()).isEmpty();
        assertThat(dev.resources("AWS::ManagedBlockchain::Node")).isEmpty();
        assertThat(dev.resources("AWS::KMS::Key").values()).map(k -> asMap(k.get("Properties")))
                .noneMatch(k -> "ECC_SECG_P256K1".equals(k.get("KeySpec")));
        assertThat(dev.resources("AWS::Lambda::Function").values()).map(f -> asMap(f.get("Properties")))
                .noneMatch(f -> f.get("FunctionName").toString().contains("anchor"));
        assertThat(dev.template().toJSON().toString()).doesNotContain("WAYBILL_PROOFS_TABLE");
    }

    @Test
    void ledgerIsKeyedByPkAndSkWithTheQueuedIndexRecoverableEncryptedAndRetained() {
        Map<String, Object> resource = rpc.resource(rpcAnchoring.ledger());
        assertThat(resource).containsEntry("DeletionPolicy", "Retain");
        Map<String, Object> table = asMap(resource.get("Properties"));
        assertThat(table).containsEntry("TableName", "waybill-anchor-rpc-anchor-ledger")
                .containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("DeletionProtectionEnabled", true)
                .containsEntry("KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")));
        assertThat(asMap(table.get("SSESpecification"))).containsEntry("SSEEnabled", true)
                .containsEntry("KMSMasterKeyId", arn(rpc, rpcAnchoring.tableKey()));
        assertThat(asMap(table.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
        // The indexes DynamoDbAnchorLedger queries (written out here, not read from the construct's constants).
        List<Object> indexes = asList(table.get("GlobalSecondaryIndexes"));
        assertThat(indexes).hasSize(2);
        assertThat(asMap(indexes.get(0))).containsEntry("IndexName", "queue-index");
        assertThat(SynthesizedStacks.keyTypes(asList(asMap(indexes.get(0)).get("KeySchema"))))
                .isEqualTo(Map.of("queue", "HASH", "queueOrder", "RANGE"));
        assertThat(asMap(indexes.get(1))).containsEntry("IndexName", "open-index");
        assertThat(SynthesizedStacks.keyTypes(asList(asMap(indexes.get(1)).get("KeySchema"))))
                .isEqualTo(Map.of("open", "HASH", "sealedAt", "RANGE"));
        assertThat(SynthesizedStacks.attributeTypes(table)).isEqualTo(Map.of("pk", "S", "sk", "S", "queue", "S",
                "queueOrder", "S", "open", "S", "sealedAt", "S"));
    }

    @Test
    void proofsAreKeyedByEventIdRecoverableEncryptedAndRetained() {
        Map<String, Object> resource = rpc.resource(rpcAnchoring.proofs());
        assertThat(resource).containsEntry("DeletionPolicy", "Retain");
        Map<String, Object> table = asMap(resource.get("Properties"));
        assertThat(table).containsEntry("TableName", "waybill-anchor-rpc-proofs")
                .containsEntry("KeySchema", List.of(Map.of("AttributeName", "eventId", "KeyType", "HASH")));
        assertThat(SynthesizedStacks.attributeTypes(table)).isEqualTo(Map.of("eventId", "S"));
        assertThat(asMap(table.get("PointInTimeRecoverySpecification")))
                .containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(asMap(table.get("SSESpecification"))).containsEntry("KMSMasterKeyId",
                arn(rpc, rpcAnchoring.tableKey()));
    }

    @Test
    void intakeConsumesTheCanonicalStreamLikeTheOtherConsumers() {
        Map<String, Object> mapping = rpc.mappingOn(rpcAnchoring.intakeAlias());
        assertThat(mapping).containsEntry("EventSourceArn", arn(rpc, rpc.stack().canonicalEvents().stream()))
                .containsEntry("StartingPosition", "TRIM_HORIZON").containsEntry("BatchSize", 100)
                .containsEntry("ParallelizationFactor", 1);
        assertReportsBatchItemFailures(mapping);
        // the canonical stream keeps a week: 168 h * 3600 = 604,800 s, less the hour's margin = 601,200 s
        assertRetriesWithoutLimitUntilRecordAge(mapping, 601_200);
        assertExhaustedBatchesGoTo(rpc, mapping, rpcAnchoring.intakeFailedBatches());
        assertThat(rpc.properties(rpcAnchoring.intake())).containsEntry("Handler",
                "io.waybill.anchor.AnchorIntakeHandler::handleRequest");
    }

    @Test
    void theRunIsOneWriterEveryMinuteWithinSixtySeconds() {
        Map<String, Object> run = rpc.properties(rpcAnchoring.run());
        assertThat(run).containsEntry("Handler", "io.waybill.anchor.AnchorScheduleHandler::handleRequest")
                .containsEntry("ReservedConcurrentExecutions", 1)
                .containsEntry("Timeout", 60)
                .containsEntry("FunctionName", "waybill-anchor-rpc-anchor-schedule");
        assertScheduleInvokes(rpc, rpcAnchoring.schedule(), rpcAnchoring.run(), "rate(1 minute)",
                "waybill-anchor-rpc-anchor-schedule", 60);
    }

    @Test
    void theRunGetsEverySettingFromTheStageSection() {
        assertThat(environment(rpc, rpcAnchoring.run())).isEqualTo(Map.ofEntries(
                Map.entry("WAYBILL_ANCHOR_LEDGER_TABLE", ref(rpc, rpcAnchoring.ledger())),
                Map.entry("WAYBILL_PROOFS_TABLE", ref(rpc, rpcAnchoring.proofs())),
                Map.entry("WAYBILL_ANCHOR_KMS_KEY_ID", ref(rpc, rpcAnchoring.signerKey())),
                Map.entry("WAYBILL_CHAIN_RPC_URL", "https://rpc.staging.example.com/eth"),
                Map.entry("WAYBILL_CHAIN_RPC_AUTH", "none"),
                Map.entry("WAYBILL_CHAIN_ID", "11155111"),
                Map.entry("WAYBILL_ANCHOR_REGISTRY", REGISTRY),
                Map.entry("WAYBILL_ANCHOR_SELECT", "custody,coldchain-decision,compliance,certificate"),
                Map.entry("WAYBILL_ANCHOR_BATCH_MAX_EVENTS", "500"),
                Map.entry("WAYBILL_ANCHOR_BATCH_MAX_WAIT", "PT2M"),
                // defaults of an rpc stage
                Map.entry("WAYBILL_ANCHOR_CONFIRMATIONS", "2"),
                Map.entry("WAYBILL_ANCHOR_STUCK_AFTER", "PT3M"),
                Map.entry("WAYBILL_ANCHOR_FEE_BUMP_PERCENT", "12"),
                Map.entry("POWERTOOLS_SERVICE_NAME", "anchor-schedule"),
                Map.entry("POWERTOOLS_METRICS_NAMESPACE", "Waybill")));
        assertThat(environment(rpc, rpcAnchoring.intake())).containsEntry("WAYBILL_ANCHOR_LEDGER_TABLE",
                        ref(rpc, rpcAnchoring.ledger()))
                .containsEntry("WAYBILL_ANCHOR_BATCH_MAX_EVENTS", "500")
                .doesNotContainKeys("WAYBILL_ANCHOR_KMS_KEY_ID", "WAYBILL_CHAIN_RPC_URL");
    }

    @Test
    void signerKeyIsSecp256k1ForSigningAndRetained() {
        for (var s : List.of(rpc, amb)) {
            ProvenanceAnchoring a = s.stack().anchoring().orElseThrow();
            Map<String, Object> key = s.resource(a.signerKey());
            assertThat(key).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
            assertThat(asMap(key.get("Properties"))).containsEntry("KeySpec", "ECC_SECG_P256K1")
                    .containsEntry("KeyUsage", "SIGN_VERIFY");
        }
    }

    @Test
    void onlyTheRunsRoleMaySignAndTheKeyPolicyDeniesSigningToAnyoneElse() {
        for (var s : List.of(rpc, amb)) {
            ProvenanceAnchoring a = s.stack().anchoring().orElseThrow();
            Map<String, Object> runRole = Map.of("Ref", s.logicalId(a.runRole()));
            // every identity policy of the stack: only the run's role names kms:Sign (or a wildcard covering it)
            s.resources("AWS::IAM::Policy").values().stream().map(r -> asMap(r.get("Properties"))).forEach(p -> {
                boolean signs = asList(asMap(p.get("PolicyDocument")).get("Statement")).stream().map(SynthesizedStacks::asMap)
                        .filter(st -> "Allow".equals(st.get("Effect")))
                        .flatMap(st -> (st.get("Action") instanceof List<?> l ? l.stream() : java.util.stream.Stream.of(st.get("Action"))))
                        .map(Object::toString)
                        .anyMatch(action -> action.equals("kms:Sign") || action.equals("kms:*") || action.equals("*")
                                || action.equals("kms:Sign*"));
                if (signs) {
                    assertThat(asList(p.get("Roles"))).as("a role that may kms:Sign").containsExactly(runRole);
                }
            });
            assertThat(s.policyStatements(a.runRole()))
                    .filteredOn(st -> st.actions().stream().anyMatch(x -> x.equals("kms:Sign")))
                    .singleElement().satisfies(st -> {
                        assertThat(st.actions()).containsExactlyInAnyOrder("kms:Sign", "kms:GetPublicKey");
                        assertThat(st.resources()).containsExactly(arn(s, a.signerKey()));
                    });
            assertThat(s.policyStatements(a.intakeRole())).flatExtracting(SynthesizedStacks.Statement::actions)
                    .doesNotContain("kms:Sign", "kms:GetPublicKey")
                    .noneMatch(x -> x.startsWith("managedblockchain:"));
            List<Map<String, Object>> keyPolicy = asList(asMap(s.properties(a.signerKey()).get("KeyPolicy"))
                    .get("Statement")).stream().map(SynthesizedStacks::asMap).toList();
            Object runRoleArn = arn(s, a.runRole());
            assertThat(keyPolicy).filteredOn(st -> "AnchorRunSigns".equals(st.get("Sid"))).singleElement()
                    .satisfies(st -> assertThat(st).containsEntry("Effect", "Allow")
                            .containsEntry("Principal", Map.of("AWS", runRoleArn))
                            .containsEntry("Action", List.of("kms:Sign", "kms:GetPublicKey")));
            assertThat(keyPolicy).filteredOn(st -> "OnlyTheAnchorRunSigns".equals(st.get("Sid"))).singleElement()
                    .satisfies(st -> assertThat(st).containsEntry("Effect", "Deny")
                            .containsEntry("Principal", Map.of("AWS", "*"))
                            .containsEntry("Action", "kms:Sign")
                            .containsEntry("Condition", Map.of("ArnNotEquals",
                                    Map.of("aws:PrincipalArn", runRoleArn))));
        }
    }

    @Test
    void opsApiReadsOneProofAtATimeAndKnowsTheChain() {
        Map<String, Object> env = environment(rpc, rpc.stack().opsApi().function());
        assertThat(env).containsEntry("WAYBILL_PROOFS_TABLE", ref(rpc, rpcAnchoring.proofs()))
                .containsEntry("WAYBILL_CHAIN_RPC_URL", "https://rpc.staging.example.com/eth")
                .containsEntry("WAYBILL_CHAIN_RPC_AUTH", "none")
                .containsEntry("WAYBILL_CHAIN_ID", "11155111")
                .containsEntry("WAYBILL_ANCHOR_REGISTRY", REGISTRY)
                .doesNotContainKeys("WAYBILL_ANCHOR_KMS_KEY_ID", "WAYBILL_ANCHOR_LEDGER_TABLE");
        var statements = rpc.policyStatements(rpc.stack().opsApi().role());
        assertThat(statements).filteredOn(st -> st.resources().contains(arn(rpc, rpcAnchoring.proofs())))
                .singleElement().satisfies(st -> assertThat(st.actions()).containsExactly("dynamodb:GetItem"));
        assertThat(statements).flatExtracting(SynthesizedStacks.Statement::resources)
                .doesNotContain(arn(rpc, rpcAnchoring.ledger()), arn(rpc, rpcAnchoring.signerKey()));
    }

    @Test
    void ambStageRunsANodeOnMainnetCalledWithSigV4OnThatNodeOnly() {
        CfnNodeAssertions.assertSingleMainnetNode(amb, "bc.m5.xlarge", "us-east-1a");
        assertThat(rpc.resources("AWS::ManagedBlockchain::Node")).isEmpty();
        Map<String, Object> env = environment(amb, ambAnchoring.run());
        assertThat(env).containsEntry("WAYBILL_CHAIN_RPC_AUTH", "sigv4")
                .containsEntry("WAYBILL_CHAIN_ID", "1")
                // mainnet default
                .containsEntry("WAYBILL_ANCHOR_CONFIRMATIONS", "12");
        String url = env.get("WAYBILL_CHAIN_RPC_URL").toString();
        String nodeId = amb.logicalId(ambAnchoring.ambNode().orElseThrow());
        assertThat(url).contains("https://").contains("{Fn::GetAtt=[" + nodeId + ", NodeId]}")
                .contains(".ethereum.managedblockchain.").contains("AWS::Region");
        Object nodeArn = Map.of("Fn::GetAtt", List.of(nodeId, "Arn"));
        for (var role : List.of(ambAnchoring.runRole(), amb.stack().opsApi().role())) {
            assertThat(amb.policyStatements(role)).filteredOn(st -> st.actions().stream()
                            .anyMatch(x -> x.startsWith("managedblockchain:")))
                    .singleElement().satisfies(st -> {
                        assertThat(st.actions()).containsExactly("managedblockchain:POST");
                        assertThat(st.resources()).containsExactly(nodeArn);
                    });
        }
        assertThat(environment(amb, amb.stack().opsApi().function()))
                .containsEntry("WAYBILL_CHAIN_RPC_AUTH", "sigv4");
    }

    @Test
    void nodeUnavailableForFifteenMinutesAndRunErrorsPage() {
        Map<String, Map<String, Object>> alarms = rpc.resources("AWS::CloudWatch::Alarm");
        Map<String, Object> unavailable = alarms.entrySet().stream().filter(e -> e.getKey().contains("AnchorNodeUnavailable"))
                .map(e -> asMap(e.getValue().get("Properties"))).findFirst().orElseThrow();
        // 3 periods of 5 min in a row = 15 min
        assertThat(unavailable).containsEntry("Namespace", "Waybill").containsEntry("MetricName", "NodeUnavailable")
                .containsEntry("Statistic", "Sum").containsEntry("Period", 300)
                .containsEntry("EvaluationPeriods", 3).containsEntry("DatapointsToAlarm", 3)
                .containsEntry("Threshold", 0).containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("Dimensions", List.of(Map.of("Name", "Service", "Value", "anchor-schedule")))
                .containsEntry("AlarmActions", List.of(ref(rpc, rpc.stack().alarms().topic())));
        assertThat(alarms.keySet()).anyMatch(k -> k.contains("AnchorRunErrors"))
                .anyMatch(k -> k.contains("AnchorIntakeIteratorAge"))
                .anyMatch(k -> k.contains("AnchorIntakeFailedBatchesDepth"));
        assertThat(SynthesizedStacks.dev().resources("AWS::CloudWatch::Alarm").keySet())
                .noneMatch(k -> k.contains("Anchor"));
    }

    @Test
    void outputsNameTheRegistryAndTheSignerKey() {
        var outputs = asMap(asMap(rpc.template().toJSON()).get("Outputs"));
        assertThat(asMap(outputs.get("AnchorRegistryAddress"))).containsEntry("Value", REGISTRY)
                .containsEntry("Export", Map.of("Name", "waybill-anchor-rpc-anchor-registry-address"));
        assertThat(asMap(outputs.get("AnchorSignerKeyId"))).containsEntry("Value", ref(rpc, rpcAnchoring.signerKey()));
        assertThat(asMap(outputs.get("AnchorSignerKeyArn"))).containsEntry("Value", arn(rpc, rpcAnchoring.signerKey()));
        assertThat(outputs).doesNotContainKey("AnchorNodeId");
        assertThat(asMap(asMap(amb.template().toJSON()).get("Outputs"))).containsKey("AnchorNodeId");
    }

    @Test
    void cdkNagReportsNothingUnsuppressedOnAnchoringStages() {
        for (var s : List.of(rpc, amb)) {
            assertThat(Annotations.fromStack(s.stack()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(s.stack().getStackName()).isEmpty();
            assertThat(Annotations.fromStack(s.stack()).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                    .as(s.stack().getStackName()).isEmpty();
        }
    }

    private static StageConfig config(Object section) {
        App app = new App(AppProps.builder().context(new HashMap<>(Map.of(AnchoringConfig.CTX_ANCHORING, section)))
                .build());
        return StageConfig.fromContext(app.getNode());
    }

    @Test
    void anAmbStageMustBeMainnet() {
        assertThatThrownBy(() -> config("{\"chain\":\"amb\",\"chainId\":11155111,\"registry\":\"" + REGISTRY
                + "\",\"nodeAvailabilityZone\":\"us-east-1a\"}"))
                .isInstanceOf(StageConfigException.class).hasMessageContaining("anchoring.chainId")
                .hasMessageContaining("mainnet").hasMessageContaining("11155111");
    }

    @Test
    void anAmbStageNeedsAnAvailabilityZoneAndNoRpcUrl() {
        assertThatThrownBy(() -> config("{\"chain\":\"amb\",\"chainId\":1,\"registry\":\"" + REGISTRY + "\"}"))
                .isInstanceOf(StageConfigException.class).hasMessageContaining("anchoring.nodeAvailabilityZone");
        assertThatThrownBy(() -> config("{\"chain\":\"amb\",\"chainId\":1,\"registry\":\"" + REGISTRY
                + "\",\"nodeAvailabilityZone\":\"us-east-1a\",\"rpcUrl\":\"https://x\"}"))
                .isInstanceOf(StageConfigException.class).hasMessageContaining("anchoring.rpcUrl");
    }

    @Test
    void aRegistryMustBeAnAddress() {
        for (String bad : List.of("0x123", "5FbDB2315678afecb367f032d93F642f64180aa3",
                "0x5FbDB2315678afecb367f032d93F642f64180aaZ")) {
            assertThatThrownBy(() -> config(Map.of("chain", "rpc", "rpcUrl", "https://n", "chainId", 5,
                    "registry", bad))).isInstanceOf(StageConfigException.class)
                    .hasMessageContaining("anchoring.registry").hasMessageContaining(bad);
        }
    }

    @Test
    void anRpcStageNeedsAUrlWithoutCredentials() {
        assertThatThrownBy(() -> config(Map.of("chain", "rpc", "chainId", 5, "registry", REGISTRY)))
                .isInstanceOf(StageConfigException.class).hasMessageContaining("anchoring.rpcUrl");
        assertThatThrownBy(() -> config(Map.of("chain", "rpc", "chainId", 5, "registry", REGISTRY,
                "rpcUrl", "https://user:secret@node.example.com"))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("credentials").hasMessageNotContaining("secret");
    }

    @Test
    void unknownChainsKeysAndBadValuesAreRefused() {
        assertThatThrownBy(() -> config(Map.of("chain", "polygon"))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("none, rpc or amb");
        assertThatThrownBy(() -> config(Map.of("chain", "rpc", "chainID", 5))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("chainID");
        assertThatThrownBy(() -> config(Map.of("chain", "rpc", "rpcUrl", "https://n", "chainId", 5,
                "registry", REGISTRY, "feeBumpPercent", 5))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("anchoring.feeBumpPercent");
        assertThatThrownBy(() -> config(Map.of("chain", "rpc", "rpcUrl", "https://n", "chainId", 5,
                "registry", REGISTRY, "batchMaxWait", "60s"))).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("anchoring.batchMaxWait");
        assertThatThrownBy(() -> config("chain=rpc")).isInstanceOf(StageConfigException.class)
                .hasMessageContaining("JSON object");
    }

    @Test
    void chainNoneIsTheDefaultAndAnExplicitNoneNeedsNothingElse() {
        assertThat(config(Map.of("chain", "none")).anchoring().enabled()).isFalse();
        App app = new App(AppProps.builder().build());
        assertThat(StageConfig.fromContext(app.getNode()).anchoring().chain()).isEqualTo(AnchoringConfig.Chain.NONE);
    }

    /** The node's CloudFormation resource, checked against the values written in the test. */
    private static final class CfnNodeAssertions {
        static void assertSingleMainnetNode(SynthesizedStacks.Synthesized s, String instanceType, String zone) {
            assertThat(s.onlyProperties("AWS::ManagedBlockchain::Node"))
                    .containsEntry("NetworkId", "n-ethereum-mainnet")
                    .containsEntry("NodeConfiguration", Map.of("InstanceType", instanceType,
                            "AvailabilityZone", zone));
        }
    }
}
