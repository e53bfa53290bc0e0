package io.waybill.infra;

import io.waybill.edgeack.DeadLetterSettlementHandler;
import io.waybill.edgeack.EdgeAcknowledgementHandler;
import io.waybill.ingest.IngestConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.FunctionAssertions.assertCodeIsShadedJar;
import static io.waybill.infra.FunctionAssertions.assertExhaustedBatchesGoTo;
import static io.waybill.infra.FunctionAssertions.assertInvokesTheLiveAliasOfThePublishedVersion;
import static io.waybill.infra.FunctionAssertions.assertReportsBatchItemFailures;
import static io.waybill.infra.FunctionAssertions.assertRetriesWithoutLimitUntilRecordAge;
import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, edge durability end to end: the storage confirmations are deployed (the canonical-stream consumer and the
 * dead-letter settlement function), may publish only on their stage's confirmation topics, and ingest announces its
 * dead-lettered edge messages to them.
 */
class EdgeAcknowledgementTest {
    private static SynthesizedStacks.Synthesized dev;
    private static EdgeAcknowledgement ack;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        ack = dev.stack().edgeAcknowledgement();
    }

    private static Object arn(SynthesizedStacks.Synthesized s, software.constructs.IConstruct c) {
        return Map.of("Fn::GetAtt", List.of(s.logicalId(c), "Arn"));
    }

    /** {@code arn:<partition>:iot:<region>:<account>:topic/cmd/waybill/<stage>/*}{@code /stored}, written out. */
    private static Object confirmationTopics(String stage) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iot:",
                Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"),
                ":topic/cmd/waybill/" + stage + "/*/stored")));
    }

    @Test
    void confirmationsConsumeTheCanonicalStreamLikeTheOtherConsumers() {
        Map<String, Object> mapping = dev.mappingOn(ack.alias());
        assertThat(mapping).containsEntry("EventSourceArn", arn(dev, dev.stack().canonicalEvents().stream()))
                .containsEntry("StartingPosition", "TRIM_HORIZON").containsEntry("BatchSize", 100)
                .containsEntry("ParallelizationFactor", 1);
        assertReportsBatchItemFailures(mapping);
        // the canonical stream keeps 168 h: 168 h - 1 h = 167 h = 601,200 s
        assertRetriesWithoutLimitUntilRecordAge(mapping, 601_200);
        assertExhaustedBatchesGoTo(dev, mapping, dev.stack().deadLetters().edgeAcknowledgementFailedBatches());
        assertInvokesTheLiveAliasOfThePublishedVersion(dev, mapping, ack.alias(), ack.function());
        assertThat(dev.properties(dev.stack().deadLetters().edgeAcknowledgementFailedBatches()))
                .containsEntry("QueueName", "waybill-dev-edge-acknowledgement-failed-batches");
    }

    @Test
    void bothFunctionsRunTheirHandlersFromTheShadedEdgeAcknowledgementJarOnJava21() throws Exception {
        Path jar = BuildArtifacts.in(SynthesizedStacks.repoRoot()).edgeAcknowledgementJar();
        Map<String, Object> stored = dev.properties(ack.function());
        Map<String, Object> settled = dev.properties(ack.settlementFunction());
        assertThat(stored).containsEntry("FunctionName", "waybill-dev-edge-acknowledgement")
                .containsEntry("Handler", "io.waybill.edgeack.EdgeAcknowledgementHandler::handleRequest")
                .containsEntry("Runtime", "java21").containsEntry("Architectures", List.of("arm64"))
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(settled).containsEntry("FunctionName", "waybill-dev-edge-settlement")
                .containsEntry("Handler", "io.waybill.edgeack.DeadLetterSettlementHandler::handleRequest")
                .containsEntry("Runtime", "java21").containsEntry("Timeout", 30);
        assertCodeIsShadedJar(dev, stored, jar, "waybill-edge-acknowledgement-");
        assertCodeIsShadedJar(dev, settled, jar, "waybill-edge-acknowledgement-");
        assertThat(Class.forName(EdgeAcknowledgement.HANDLER.split("::")[0]))
                .isEqualTo(EdgeAcknowledgementHandler.class);
        assertThat(Class.forName(EdgeAcknowledgement.SETTLEMENT_HANDLER.split("::")[0]))
                .isEqualTo(DeadLetterSettlementHandler.class);
        for (var variant : List.of(dev, SynthesizedStacks.loadTest())) {
            String stage = variant.stack().config().stage();
            for (var f : List.of(variant.stack().edgeAcknowledgement().function(),
                    variant.stack().edgeAcknowledgement().settlementFunction())) {
                Map<String, Object> env = asMap(asMap(variant.properties(f).get("Environment")).get("Variables"));
                // the stage whose devices it confirms; no data endpoint: found with DescribeEndpoint
                assertThat(env).containsEntry("STAGE", stage).doesNotContainKey("IOT_DATA_ENDPOINT");
            }
        }
    }

    @Test
    void bothRolesMayPublishOnlyOnTheirOwnStagesConfirmationTopics() {
        for (var variant : List.of(dev, SynthesizedStacks.loadTest())) {
            String stage = variant.stack().config().stage();
            var a = variant.stack().edgeAcknowledgement();
            for (var role : List.of(a.role(), a.settlementRole())) {
                List<String> iot = new ArrayList<>();
                variant.policyStatements(role).stream()
                        .filter(s -> s.actions().stream().anyMatch(x -> x.startsWith("iot:")))
                        .forEach(s -> {
                            assertThat(s.effect()).isEqualTo("Allow");
                            s.actions().forEach(x -> iot.add(x + " on " + s.resources()));
                        });
                assertThat(iot).containsExactlyInAnyOrder(
                        "iot:Publish on " + List.of(confirmationTopics(stage)),
                        "iot:DescribeEndpoint on [*]");
            }
        }
    }

    @Test
    void settlementNoticesAreReadWithPartialFailuresAndGoToTheirOwnQueueAfterFiveReceives() {
        var queues = dev.stack().deadLetters();
        Map<String, Object> mapping = dev.mappingOn(ack.settlementAlias());
        assertThat(mapping).containsEntry("EventSourceArn", arn(dev, queues.edgeSettlements()))
                .containsEntry("BatchSize", 10);
        assertReportsBatchItemFailures(mapping);
        Map<String, Object> queue = dev.properties(queues.edgeSettlements());
        // six times the settlement function's 30 s timeout: 180 s
        assertThat(queue).containsEntry("QueueName", "waybill-dev-edge-settlements")
                .containsEntry("VisibilityTimeout", 180)
                .containsEntry("KmsMasterKeyId", arn(dev, queues.key()))
                .containsEntry("RedrivePolicy", Map.of("deadLetterTargetArn", arn(dev, queues.edgeSettlementsFailed()),
                        "maxReceiveCount", 5));
        // the notices queue is not a dead-letter queue; the one it redrives to is, with a depth alarm
        assertThat(queues.all()).contains(queues.edgeSettlementsFailed(), queues.edgeAcknowledgementFailedBatches())
                .doesNotContain(queues.edgeSettlements());
        Map<String, java.util.Set<String>> sqs = new java.util.TreeMap<>();
        dev.policyStatements(ack.settlementRole()).stream()
                .filter(s -> s.actions().stream().anyMatch(x -> x.startsWith("sqs:")))
                .forEach(s -> s.resources().forEach(r -> sqs.computeIfAbsent(r.toString(), k -> new java.util.TreeSet<>())
                        .addAll(s.actions())));
        assertThat(sqs).containsOnlyKeys(arn(dev, queues.edgeSettlements()).toString());
        assertThat(sqs.values().iterator().next()).containsExactlyInAnyOrder("sqs:ReceiveMessage",
                "sqs:DeleteMessage", "sqs:GetQueueAttributes");
    }

    @Test
    void ingestAnnouncesDeadLetteredEdgeMessagesOnTheNoticesQueue() {
        var queues = dev.stack().deadLetters();
        Map<String, Object> env = asMap(asMap(dev.properties(dev.stack().ingest().function()).get("Environment"))
                .get("Variables"));
        assertThat(IngestService.ENV_EDGE_SETTLEMENT_QUEUE_URL).isEqualTo(IngestConfig.ENV_EDGE_SETTLEMENT_QUEUE_URL);
        assertThat(env).containsEntry(IngestConfig.ENV_EDGE_SETTLEMENT_QUEUE_URL,
                Map.of("Ref", dev.logicalId(queues.edgeSettlements())));
        assertThat(dev.policyStatements(dev.stack().ingest().role()))
                .filteredOn(s -> s.resources().contains(arn(dev, queues.edgeSettlements())))
                .singleElement().satisfies(s -> assertThat(s.actions()).containsExactly("sqs:SendMessage"));
    }

    @Test
    void alarmsWatchBothFunctionsAndTheirFailureQueues() {
        Map<String, Map<String, Object>> alarms = dev.resources("AWS::CloudWatch::Alarm");
        Object stored = Map.of("Ref", dev.logicalId(ack.function()));
        Object settled = Map.of("Ref", dev.logicalId(ack.settlementFunction()));
        List<String> onStored = new ArrayList<>();
        List<String> onSettled = new ArrayList<>();
        alarms.values().forEach(a -> {
            Map<String, Object> p = asMap(a.get("Properties"));
            if (p.get("Dimensions") == null) {
                return;
            }
            asList(p.get("Dimensions")).stream().map(SynthesizedStacks::asMap)
                    .filter(d -> "FunctionName".equals(d.get("Name"))).forEach(d -> {
                        if (stored.equals(d.get("Value"))) {
                            onStored.add(p.get("MetricName").toString());
                        }
                        if (settled.equals(d.get("Value"))) {
                            onSettled.add(p.get("MetricName").toString());
                        }
                    });
        });
        assertThat(onStored).containsExactlyInAnyOrder("IteratorAge", "Errors");
        assertThat(onSettled).containsExactly("Errors");
        for (var queue : List.of(dev.stack().deadLetters().edgeAcknowledgementFailedBatches(),
                dev.stack().deadLetters().edgeSettlementsFailed())) {
            Object name = Map.of("Fn::GetAtt", List.of(dev.logicalId(queue), "QueueName"));
            assertThat(alarms.values()).map(a -> asMap(a.get("Properties")))
                    .filteredOn(p -> "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName")))
                    .filteredOn(p -> p.get("Dimensions").toString().contains(name.toString()))
                    .singleElement().satisfies(p -> assertThat(p).containsEntry("Threshold", 1));
        }
    }

    @Test
    void theBreachConfirmerRunsOneAtATime() {
        // issue 12: the confirmation pass must not overlap with itself
        for (var variant : List.of(dev, SynthesizedStacks.loadTest())) {
            assertThat(variant.properties(variant.stack().breachConfirmer().function()))
                    .containsEntry("ReservedConcurrentExecutions", 1);
        }
    }
}
