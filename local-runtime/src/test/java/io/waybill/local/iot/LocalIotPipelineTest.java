package io.waybill.local.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device → MQTT broker → IoT rule → Kinesis → ingest handler (the Lambda class) → DynamoDB, all local: what the
 * Greengrass edge component publishes becomes a stored canonical event.
 */
@Timeout(120)
class LocalIotPipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static LocalAwsStack stack;
    private static LocalMqttBroker broker;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        broker = LocalMqttBroker.start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void edgeSummaryPublishedOnTheDeviceTopicIsStoredAsTemperatureObserved() throws Exception {
        // The edge component's message exactly as it publishes it: the sample minus what the IoT rule adds.
        ObjectNode message = (ObjectNode) SampleCatalog.json("raw/waybill-edge/summary.json");
        message.remove("wb_route");
        message.remove("wb_received_ms");
        String thing = message.path("deviceId").asText();

        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("iot-e2e"))
                .shards(2).deploy();
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(stack.clients().kinesis(), pipeline.names().stream())
                     .flushInterval(Duration.ofMillis(50)).start();
             LocalMqttClient edge = LocalMqttClient.connect(broker.host(), broker.port(), thing, null, WAIT)) {
            byte[] payload = JSON.writeValueAsBytes(message);
            long published = System.currentTimeMillis();
            edge.publishAndWait("dt/waybill/local/waybill-edge/" + thing, payload, WAIT);
            edge.publishAndWait("dt/waybill/local/waybill-edge/" + thing, payload, WAIT); // a spool re-send

            assertThat(rule.awaitProcessed(2, WAIT)).isTrue();
            assertThat(rule.stats().recordsPut()).isEqualTo(2);
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();

            List<Map<String, AttributeValue>> stored = pipeline.storedEvents();
            assertThat(stored).as("the re-sent message is the same event, stored once").hasSize(1);
            Map<String, AttributeValue> item = stored.get(0);
            assertThat(item.get("type").s()).isEqualTo("waybill.temperature.observed.v1");
            assertThat(item.get("adapter").s()).isEqualTo("waybill-edge");
            assertThat(item.get("partitionKey").s()).isEqualTo(thing);
            JsonNode event = JSON.readTree(item.get("eventJson").s());
            JsonNode expected = SampleCatalog.json("canonical/waybill-edge/summary.json");
            assertThat(event.path("source").asText()).isEqualTo("urn:waybill:waybill-edge:" + thing);
            assertThat(event.path("subject")).isEqualTo(expected.path("subject"));
            assertThat(event.path("sequence")).isEqualTo(expected.path("sequence"));
            assertThat(event.path("data")).isEqualTo(expected.path("data"));
            assertThat(event.path("brokertime").asText()).as("set by the rule's timestamp()").isNotBlank();
            assertThat(java.time.Instant.parse(event.path("brokertime").asText()).toEpochMilli())
                    .isBetween(published - 1_000, System.currentTimeMillis());
            // The sample's device time is months old: kept as the event time and flagged late, not rewritten.
            assertThat(event.path("late").asBoolean()).as("the sample's device time is months old").isTrue();
            assertThat(event.path("clockskewed").asBoolean()).isFalse();
            assertThat(event.path("time")).isEqualTo(event.path("devicetime"));
            assertThat(pipeline.deadLetterCount()).isZero();
            assertThat(pipeline.shipments()).containsKey(expected.path("subject").asText());
        }
    }
}
