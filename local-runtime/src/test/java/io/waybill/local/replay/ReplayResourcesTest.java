package io.waybill.local.replay;

import io.waybill.local.stack.LocalRuntimeLocator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stage's resource names from its CloudFormation stack's outputs, on fake outputs (no AWS): the keys are written
 * out here as {@code infra-cdk}'s {@code StackOutputs} names them.
 */
class ReplayResourcesTest {

    /** A stack's outputs as {@code describe-stacks} lists them for stage {@code prod} (values made up). */
    private static Map<String, String> prodOutputs() {
        Map<String, String> o = new HashMap<>();
        o.put("TelemetryStreamName", "Waybill-prod-TelemetryStream-AbC123");
        o.put("TelemetryStreamArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/Waybill-prod-TelemetryStream-AbC123");
        o.put("IngestDeadLettersUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/waybill-prod-ingest-dlq");
        o.put("IngestDeadLettersArn", "arn:aws:sqs:eu-west-1:123456789012:waybill-prod-ingest-dlq");
        o.put("IngestFailedBatchesUrl", "https://sqs.eu-west-1.amazonaws.com/123456789012/waybill-prod-ingest-failed");
        o.put("ColdChainFailedBatchesUrl",
                "https://sqs.eu-west-1.amazonaws.com/123456789012/waybill-prod-coldchain-failed");
        o.put("EventsTableName", "waybill-prod-events");
        return o;
    }

    @Test
    void stageResourcesComeFromTheStackOutputs() {
        Map<String, String> outputs = prodOutputs();
        outputs.put("CanonicalStreamName", "Waybill-prod-CanonicalStream-XyZ789");

        ReplayResources r = ReplayResources.fromStackOutputs("Waybill-prod", outputs);

        assertThat(r.telemetryStream()).isEqualTo("Waybill-prod-TelemetryStream-AbC123");
        assertThat(r.deadLetterQueueUrl())
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/waybill-prod-ingest-dlq");
        assertThat(r.ingestFailedBatchesUrl())
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/waybill-prod-ingest-failed");
        assertThat(r.coldChainFailedBatchesUrl())
                .isEqualTo("https://sqs.eu-west-1.amazonaws.com/123456789012/waybill-prod-coldchain-failed");
        assertThat(r.canonicalStream()).isEqualTo("Waybill-prod-CanonicalStream-XyZ789");
        assertThat(r.ingestStreams()).containsExactly("Waybill-prod-TelemetryStream-AbC123");
        assertThat(r.coldChainStreams()).containsExactlyInAnyOrder("Waybill-prod-CanonicalStream-XyZ789",
                "Waybill-prod-TelemetryStream-AbC123");
    }

    @Test
    void aStackFromBeforeTheCanonicalStreamReplaysTheColdChainFromTheRawStream() {
        ReplayResources r = ReplayResources.fromStackOutputs("Waybill-prod", prodOutputs());

        assertThat(r.canonicalStream()).isNull();
        assertThat(r.coldChainStreams()).containsExactly("Waybill-prod-TelemetryStream-AbC123");
    }

    @Test
    void aStackWithoutTheReplayOutputsIsNamedWithWhatItLacks() {
        Map<String, String> outputs = prodOutputs();
        outputs.remove("IngestFailedBatchesUrl");
        outputs.put("ColdChainFailedBatchesUrl", " ");

        assertThatThrownBy(() -> ReplayResources.fromStackOutputs("Waybill-prod", outputs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("stack Waybill-prod has no output IngestFailedBatchesUrl, ColdChainFailedBatchesUrl");
    }

    @Test
    void describedStackOutputsBecomeAKeyValueMap() {
        Stack stack = Stack.builder().stackName("Waybill-prod").outputs(
                Output.builder().outputKey("TelemetryStreamName").outputValue("t").exportName("waybill-prod-x").build(),
                Output.builder().outputKey("IngestDeadLettersUrl").outputValue("u").build()).build();

        assertThat(StageStack.outputs(stack)).containsExactlyInAnyOrderEntriesOf(Map.of("TelemetryStreamName", "t",
                "IngestDeadLettersUrl", "u"));
    }

    @Test
    void theStackIsNamedAsTheCdkAppNamesItAndOnlyForAStageNameItAccepts() {
        assertThat(StageStack.stackName("prod")).isEqualTo("Waybill-prod");
        assertThat(StageStack.stackName("eu-staging-2")).isEqualTo("Waybill-eu-staging-2");
        for (String bad : new String[] {"Prod", "1prod", "prod_eu", "", "a-very-long-stage-name-x"}) {
            assertThatThrownBy(() -> StageStack.stackName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a stage name");
        }
    }

    /**
     * The keys this replay reads are the ones the CDK app writes: its {@code StackOutputs} adds the stream output by
     * that id, and each queue output as the queue's id plus {@code Url}.
     */
    @Test
    void theOutputKeysReadAreTheOnesInfraCdkWrites() throws Exception {
        Path source = LocalRuntimeLocator.locate().getParent()
                .resolve("infra-cdk/src/main/java/io/waybill/infra/StackOutputs.java");
        String text = Files.readString(source);

        assertThat(text).as(source.toString()).contains("out.add(\"TelemetryStreamName\"",
                "out.queue(\"IngestDeadLetters\"", "out.queue(\"IngestFailedBatches\"",
                "out.queue(\"ColdChainFailedBatches\"", "add(id + \"Url\"");
        assertThat(ReplayResources.REQUIRED_OUTPUTS).containsExactly("TelemetryStreamName", "IngestDeadLettersUrl",
                "IngestFailedBatchesUrl", "ColdChainFailedBatchesUrl");
    }
}
