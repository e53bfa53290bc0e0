package io.waybill.local.iot;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: an edge message that ingest dead-letters is confirmed to the device that sent it (so its spool forgets it
 * instead of sending it every confirm timeout for ever) and is kept in the dead-letter queue with its payload. The local
 * stack as the CDK app deploys it: ingest with its settlement notices queue, the edge acknowledgement functions
 * ({@link LocalEdgeAcknowledgement}) publishing to the local broker. Expected topic and ranges are read by hand from
 * the sample: {@code events-samples/malformed/identity-mismatch-waybill-edge.json} is routed
 * {@code waybill-edge/reefer-07} (as the IoT rule sets it) but names {@code deviceId} reefer-08, sequence 6.
 */
@Timeout(120)
class DeadLetteredEdgeMessageIsConfirmedTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aRejectedEdgeMessageIsConfirmedToItsSenderAndKeptInTheDeadLetterQueue() throws Exception {
        byte[] sample = SampleCatalog.bytes("malformed/identity-mismatch-waybill-edge.json");
        List<String> confirmations = new CopyOnWriteArrayList<>();
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalMqttBroker broker = LocalMqttBroker.start(tmp.resolve("broker"));
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("edge-settle")).shards(1).deploy();
             LocalMqttClient devices = LocalMqttClient.connect(broker.host(), broker.port(), "devices",
                     (topic, payload) -> confirmations.add(topic + " " + new String(payload, StandardCharsets.UTF_8)),
                     WAIT);
             LocalEdgeAcknowledgement ack = LocalEdgeAcknowledgement.start(broker, stack.clients().kinesis(),
                     pipeline.names().canonicalStream(), stack.clients().sqs(), pipeline.edgeSettlementQueueUrl(),
                     WAIT)) {
            devices.subscribe("cmd/waybill/local/+/stored", WAIT);

            // as the IoT rule puts it on the telemetry stream: keyed by the thing of its route
            pipeline.publish(List.of(sample), List.of("reefer-07"));

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (confirmations.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500); // nothing else may follow
            assertThat(confirmations).containsExactly("cmd/waybill/local/reefer-07/stored {\"stored\":[[6,6]]}");

            List<Message> letters = pipeline.drainDeadLetters(false);
            assertThat(letters).singleElement().satisfies(m -> {
                DeadLetter letter = DeadLetterJson.fromJson(m.body());
                assertThat(letter.payload()).isEqualTo(sample);
                assertThat(letter.reason().name()).isEqualTo("IDENTITY_MISMATCH");
            });
            assertThat(pipeline.storedEvents()).isEmpty();
        }
    }
}
