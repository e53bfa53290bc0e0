package io.waybill.local.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.model.Message;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rule runner between a real MQTT broker (HiveMQ CE) and the emulated Kinesis stream and SQS error queue. */
@Timeout(120)
class LocalRuleRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static LocalAwsStack stack;
    private static LocalMqttBroker broker;
    private static StackResources resources;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        broker = LocalMqttBroker.start();
        resources = StackResources.using(stack.clients());
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
    void brokerListensOnAFreeLoopbackPortWithItsFoldersUnderTarget() throws Exception {
        assertThat(broker.uri().toString()).isEqualTo("tcp://127.0.0.1:" + broker.port());
        assertThat(broker.directory().toString()).contains("local-runtime/target/local-mqtt/hivemq-" + broker.port());
        assertThat(broker.directory().resolve("conf/config.xml")).content().contains("<mode>in-memory</mode>")
                .contains("<bind-address>127.0.0.1</bind-address>");
        try (var probe = new java.net.Socket(InetAddress.getLoopbackAddress(), broker.port())) {
            assertThat(probe.isConnected()).isTrue();
        }
    }

    @Test
    void topicFilterMatchesOnlyTheRuleTopics() throws Exception {
        String stream = "iot-filter";
        resources.createStream(stream, 1);
        try (LocalRuleRunner runner = runner(stream, null).start();
             LocalMqttClient device = device("filter")) {
            List<String> topics = List.of("dt/waybill/local/thermotrack/TT-1", "dt/waybill/local/thermotrack",
                    "dt/waybill/local/a/b/c", "cmd/waybill/local/thermotrack/TT-1", "dt/other/local/thermotrack/TT-1",
                    "dt/waybill/prod/thermotrack/TT-3", "dt/waybill/thermotrack/TT-4", "dt/waybill/local/gps-tracker/GPS-2");
            for (String t : topics) {
                device.publishAndWait(t, ("{\"t\":\"" + t + "\"}").getBytes(StandardCharsets.UTF_8), WAIT);
            }
            assertThat(runner.awaitProcessed(2, WAIT)).isTrue();
            List<Record> records = readStream(stream, 2);
            assertThat(records).extracting(r -> json(r).path("t").asText())
                    .containsExactlyInAnyOrder("dt/waybill/local/thermotrack/TT-1", "dt/waybill/local/gps-tracker/GPS-2");
            Thread.sleep(300); // nothing else arrives
            assertThat(runner.stats().messagesReceived()).isEqualTo(2);
            assertThat(readStream(stream, 0)).hasSize(2);
        }
    }

    @Test
    void messagesPublishedOnDeviceTopicsReachTheStreamInBatches() throws Exception {
        String stream = "iot-batches";
        resources.createStream(stream, 2);
        int devices = 5;
        int perDevice = 60;
        try (LocalRuleRunner runner = runner(stream, null).maxBatchRecords(100).flushInterval(Duration.ofMillis(200))
                .start();
             LocalMqttClient device = device("batches")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int seq = 0; seq < perDevice; seq++) {
                for (int d = 0; d < devices; d++) {
                    acks.add(device.publish("dt/waybill/local/thermotrack/TT-" + d,
                            ("{\"dev\":\"TT-" + d + "\",\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8)));
                }
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            int total = devices * perDevice;
            assertThat(runner.awaitProcessed(total, WAIT)).isTrue();

            RuleRunnerStats stats = runner.stats();
            assertThat(stats.recordsPut()).isEqualTo(total);
            assertThat(stats.ruleErrors()).isZero();
            assertThat(stats.putRecordsCalls()).as("batched: %s", stats).isBetween(3L, 40L);
            assertThat(stats.latency().count()).isEqualTo(total);
            assertThat(stats.latency().max()).isLessThan(10_000);

            List<Record> records = readStream(stream, total);
            assertThat(records).hasSize(total);
            for (int d = 0; d < devices; d++) {
                String key = "TT-" + d;
                List<Record> ofDevice = records.stream().filter(r -> r.partitionKey().equals(key)).toList();
                assertThat(ofDevice).as("keyed by thing name").hasSize(perDevice);
                assertThat(ofDevice).extracting(r -> json(r).path("seq").asInt())
                        .as("one device's messages stay in order on its shard").isSorted();
                assertThat(ofDevice).allSatisfy(r -> {
                    JsonNode j = json(r);
                    assertThat(j.path("wb_route").asText()).isEqualTo("thermotrack/" + key);
                    assertThat(j.path("wb_received_ms").asLong())
                            .isLessThanOrEqualTo(r.approximateArrivalTimestamp().toEpochMilli() + 1_000);
                });
            }
        }
    }

    @Test
    void spoofedRoutingFieldsAndPartnerTopicsNeverReachTheStreamNorTheErrorQueue() throws Exception {
        String stream = "iot-spoofed";
        resources.createStream(stream, 1);
        String queue = resources.createQueue("iot-spoofed-errors").url();
        try (LocalRuleRunner runner = runner(stream, queue).start(); LocalMqttClient device = device("spoofer")) {
            device.publishAndWait("dt/waybill/local/gps-tracker/IMEI-1",
                    "{\"evt\":\"PING\",\"wb_route\":\"swiftlog/SWIFTLOG\"}".getBytes(StandardCharsets.UTF_8), WAIT);
            device.publishAndWait("dt/waybill/local/gps-tracker/IMEI-1",
                    "{\"evt\":\"PING\",\"wb_received_ms\":1}".getBytes(StandardCharsets.UTF_8), WAIT);
            device.publishAndWait("dt/waybill/local/swiftlog/SWIFTLOG",
                    "{\"statusCode\":\"POD\"}".getBytes(StandardCharsets.UTF_8), WAIT);
            device.publishAndWait("dt/waybill/local/gps-tracker/IMEI-1",
                    "{\"evt\":\"PING\",\"n\":\"clean\"}".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(runner.awaitProcessed(4, WAIT)).isTrue();

            RuleRunnerStats stats = runner.stats();
            assertThat(stats.filteredOut()).as("%s", stats).isEqualTo(3);
            assertThat(stats.recordsPut()).isEqualTo(1);
            assertThat(stats.ruleErrors()).as("dropped by WHERE is not a rule error").isZero();
            List<Record> records = readStream(stream, 1);
            assertThat(records).extracting(r -> json(r).path("n").asText()).containsExactly("clean");
            assertThat(json(records.get(0)).path("wb_route").asText()).isEqualTo("gps-tracker/IMEI-1");
            Thread.sleep(300);
            assertThat(readStream(stream, 0)).hasSize(1);
            assertThat(stats.errorMessagesSent()).isZero();
            assertThat(stack.clients().sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()).as("no error action for a dropped message").isEmpty();
        }
    }

    @Test
    void nonJsonPayloadGoesToTheErrorQueueWithItsTopic() throws Exception {
        String stream = "iot-errors";
        resources.createStream(stream, 1);
        String queue = resources.createQueue("iot-rule-errors").url();
        byte[] garbage = {0x00, (byte) 0xFF, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n'};
        try (LocalRuleRunner runner = runner(stream, queue).start(); LocalMqttClient device = device("errors")) {
            device.publishAndWait("dt/waybill/local/coldchainco/CC-0009", garbage, WAIT);
            device.publishAndWait("dt/waybill/local/coldchainco/CC-0009", "{\"msgId\":\"ok\"}".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(runner.awaitProcessed(2, WAIT)).isTrue();

            assertThat(runner.stats().ruleErrors()).isEqualTo(1);
            assertThat(runner.stats().errorMessagesSent()).isEqualTo(1);
            assertThat(runner.stats().recordsPut()).isEqualTo(1);
            List<Message> messages = receiveAll(queue, 1);
            assertThat(messages).hasSize(1);
            JsonNode body = JSON.readTree(messages.get(0).body());
            assertThat(body.path("ruleName").asText()).isEqualTo("waybill_telemetry_to_kinesis");
            assertThat(body.path("topic").asText()).isEqualTo("dt/waybill/local/coldchainco/CC-0009");
            assertThat(Base64.getDecoder().decode(body.path("base64OriginalPayload").asText())).isEqualTo(garbage);
            assertThat(body.path("failures").get(0).path("errorMessage").asText()).contains("not JSON");
            assertThat(body.path("failures").get(0).path("failedAction").asText()).isEqualTo("RuleEvaluation");
            assertThat(body.path("time").asText()).isNotBlank();
            assertThat(body.path("cloudwatchTraceId").asText()).isNotBlank();
            assertThat(readStream(stream, 1)).extracting(r -> json(r).path("msgId").asText()).containsExactly("ok");
        }
    }

    @Test
    void recordsThePutRecordsCallCannotDeliverGoToTheErrorQueueAfterRetries() throws Exception {
        String queue = resources.createQueue("iot-rule-put-errors").url();
        try (LocalRuleRunner runner = runner("no-such-stream", queue).maxPutAttempts(2).retryBackoff(Duration.ofMillis(10))
                .start(); LocalMqttClient device = device("put-errors")) {
            device.publishAndWait("dt/waybill/local/thermotrack/TT-9", "{\"dev\":\"TT-9\"}".getBytes(StandardCharsets.UTF_8), WAIT);
            assertThat(runner.awaitProcessed(1, WAIT)).isTrue();

            assertThat(runner.stats().putRecordsCalls()).isEqualTo(2);
            assertThat(runner.stats().recordsPut()).isZero();
            JsonNode body = JSON.readTree(receiveAll(queue, 1).get(0).body());
            assertThat(body.path("failures").get(0).path("failedAction").asText()).isEqualTo("KinesisAction");
            assertThat(body.path("failures").get(0).path("failedResource").asText()).isEqualTo("no-such-stream");
            assertThat(body.path("failures").get(0).path("errorMessage").asText()).contains("after 2 attempts");
        }
    }

    @Test
    void runnerFailsToStartWithoutABroker() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis())
                .broker("127.0.0.1", closedPort).kinesis(stack.clients().kinesis(), "s")
                .connectTimeout(Duration.ofSeconds(1)).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not connected");
    }

    private static LocalRuleRunner.Builder runner(String stream, String errorQueue) {
        LocalRuleRunner.Builder b = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                .kinesis(stack.clients().kinesis(), stream).flushInterval(Duration.ofMillis(50));
        return errorQueue == null ? b : b.errorQueue(stack.clients().sqs(), errorQueue);
    }

    static LocalMqttClient device(String name) {
        return LocalMqttClient.connect(broker.host(), broker.port(), "test-device-" + name, null, WAIT);
    }

    private static JsonNode json(Record r) {
        try {
            return JSON.readTree(r.data().asByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every record of the stream, read from TRIM_HORIZON until at least {@code expected} arrived (or 20 s). */
    static List<Record> readStream(String stream, int expected) throws InterruptedException {
        KinesisClient kinesis = stack.clients().kinesis();
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Record> all = new ArrayList<>();
        do {
            all.clear();
            for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
                String it = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                while (it != null) {
                    String iterator = it;
                    GetRecordsResponse page = kinesis.getRecords(b -> b.shardIterator(iterator).limit(1000));
                    all.addAll(page.records());
                    if (page.records().isEmpty() || page.millisBehindLatest() == 0) {
                        break;
                    }
                    it = page.nextShardIterator();
                }
            }
            if (all.size() >= expected) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return all;
    }

    private static List<Message> receiveAll(String queueUrl, int expected) {
        List<Message> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < expected && System.nanoTime() < deadline) {
            for (Message m : stack.clients().sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages()) {
                if (seen.add(m.messageId())) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
