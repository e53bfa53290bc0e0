package io.waybill.local.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.edge.component.EdgeComponentConfig;
import io.waybill.edge.component.ReeferEdgeComponent;
import io.waybill.edge.sensor.MqttSensorSource;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.edge.trace.TraceIncident;
import io.waybill.edge.uplink.MqttEndpoint;
import io.waybill.edge.uplink.Mqtt5Uplink;
import io.waybill.local.iot.LocalIotRule;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;
import io.waybill.local.iot.LocalRuleRunner;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device simulator → local MQTT broker → Greengrass edge component (in-process, standalone: MQTT sensor source and
 * MQTT 5 uplink on the same broker) → IoT rule runner → Kinesis → ingest handler → DynamoDB: the golden 48-hour reefer
 * trip, replayed as fast as possible, ends up as the edge's summaries and the one real excursion.
 */
@Timeout(120)
class SimulatorToStoreEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OBSERVED = "waybill.temperature.observed.v1";
    private static final String BREACHED = "waybill.temperature.breached.v1";

    @TempDir
    Path tmp;

    @Test
    void reeferTripFromSimulatorThroughEdgeAndRuleRunnerIsStoredInDynamoDb() throws Exception {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        String thing = trip.deviceId(); // reefer-07
        EdgeComponentConfig config = EdgeComponentConfig.builder(thing, trip.shipmentSscc()).stage(io.waybill.local.iot.LocalIotRule.LOCAL_STAGE)
                .band(trip.band())
                // this test runs no storage confirmations (the demo's EdgePath does): forget on the PUBACK
                .acknowledgement(EdgeComponentConfig.Acknowledgement.PUBACK)
                .retryMinBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500)).build();
        List<DeviceSimulator.DeviceMessage> sensorTrace = DeviceSimulator.temperatureSensor(trip.readings());
        AtomicLong edgeBytes = new AtomicLong();
        AtomicLong edgeMessages = new AtomicLong();

        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalMqttBroker broker = LocalMqttBroker.start(tmp.resolve("broker"));
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("devices-e2e")).shards(2).deploy();
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(stack.clients().kinesis(), pipeline.names().stream())
                     .flushInterval(Duration.ofMillis(50)).start();
             LocalMqttClient tap = LocalMqttClient.connect(broker.host(), broker.port(), "uplink-tap",
                     (topic, payload) -> {
                         edgeMessages.incrementAndGet();
                         edgeBytes.addAndGet(payload.length);
                     }, WAIT);
             DeviceSimulator simulator = new DeviceSimulator(broker.host(), broker.port(), WAIT)) {
            tap.subscribe(config.uplinkTopic(), WAIT);

            MqttEndpoint endpoint = new MqttEndpoint(broker.host(), broker.port());
            MqttSensorSource source = new MqttSensorSource(endpoint, thing + "-sensors", config.sensorTopic(),
                    config::sensorIdOf);
            Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(endpoint, thing, config.publishTimeout(),
                    config.retryMinBackoff(), config.retryMaxBackoff());
            ReeferEdgeComponent edge = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
            ReeferEdgeComponent.Stats edgeStats;
            DeviceSimulator.Result sent;
            try {
                edge.start();
                assertThat(source.awaitSubscribed(WAIT)).isTrue();
                assertThat(uplink.awaitConnected(WAIT)).isTrue();

                // as fast as possible, but never more than 200 readings ahead of the edge (the broker drops the
                // overflow of a subscriber's queue)
                sent = simulator.replay(sensorTrace, DeviceSimulator.Rate.asFastAsPossible(),
                        () -> edge.stats().readings(), DeviceSimulator.DEFAULT_MAX_AHEAD);
                assertThat(sent.messages()).isEqualTo(GoldenTraces.TRIP_READINGS);

                long deadline = System.nanoTime() + WAIT.toNanos();
                while (edge.stats().readings() < sent.messages() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(edge.stats().readings()).as("readings the edge received").isEqualTo(sent.messages());
            } finally {
                edge.close(); // flushes the last summary and drains the spool
            }
            edgeStats = edge.stats();
            assertThat(edgeStats.spoolSize()).as("everything was uplinked").isZero();
            assertThat(edgeStats.published()).isEqualTo(edgeStats.messages());
            long expected = edgeStats.messages();

            // the edge's messages through the rule runner, Kinesis and the ingest handler into DynamoDB
            List<Map<String, AttributeValue>> stored = List.of();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                stored = pipeline.storedEvents();
                if (stored.size() >= expected) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            stored = pipeline.storedEvents();
            assertThat(stored).as("one stored event per edge message").hasSize((int) expected);
            assertThat(pipeline.deadLetterCount()).isZero();

            List<JsonNode> events = new ArrayList<>();
            for (Map<String, AttributeValue> item : stored) {
                events.add(JSON.readTree(item.get("eventJson").s()));
            }
            events.sort(Comparator.comparingLong(e -> e.path("sequence").asLong()));
            assertThat(events).allSatisfy(e -> {
                assertThat(e.path("source").asText()).isEqualTo("urn:waybill:waybill-edge:" + thing);
                assertThat(e.path("subject").asText()).isEqualTo(trip.shipmentSscc());
                assertThat(e.path("type").asText()).isIn(OBSERVED, BREACHED);
            });
            // per-device sequence numbers: 0..n-1, no gaps, no duplicates
            assertThat(events).extracting(e -> e.path("sequence").asLong())
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, expected).boxed().toList());

            // exactly the real excursion (unit failure) alerts; none for the door opening or the glitch
            TraceIncident failure = trip.incidents(TraceIncident.Kind.UNIT_FAILURE).get(0);
            TraceIncident door = trip.incidents(TraceIncident.Kind.DOOR_OPENING).get(0);
            TraceIncident glitch = trip.incidents(TraceIncident.Kind.SENSOR_GLITCH).get(0);
            List<JsonNode> alerts = events.stream().filter(e -> e.path("type").asText().equals(BREACHED)).toList();
            assertThat(alerts).as("the unit failure's started and ended alerts").hasSize(2);
            for (JsonNode alert : alerts) {
                // device time: the trip is months old, so the event time is the broker's (clockskewed)
                Instant at = Instant.parse(alert.path("devicetime").asText());
                assertThat(failure.covers(at, Duration.ofMinutes(5))).as("alert at %s is the unit failure", at)
                        .isTrue();
                assertThat(door.covers(at, Duration.ofMinutes(30))).isFalse();
                assertThat(glitch.covers(at, Duration.ofMinutes(30))).isFalse();
            }
            assertThat(alerts.get(1).path("data").path("observedCelsius").asDouble()).isBetween(10.0, 11.5);
            List<JsonNode> summaries = events.stream().filter(e -> e.path("type").asText().equals(OBSERVED))
                    .toList();
            assertThat(summaries).hasSize(6);
            assertThat(summaries.stream().mapToInt(s -> s.path("data").path("readingCount").asInt()).sum())
                    .as("every reading but the glitch").isEqualTo(GoldenTraces.TRIP_READINGS - 1);

            // the shipment projection holds the last temperature: the last summary's window mean
            JsonNode last = summaries.get(summaries.size() - 1);
            ShipmentState shipment = pipeline.shipments().get(trip.shipmentSscc());
            assertThat(shipment).isNotNull();
            assertThat(shipment.temperatureCelsius()).isEqualTo(last.path("data").path("meanCelsius").asDouble());
            assertThat(shipment.temperatureAt()).isEqualTo(Instant.parse(last.path("time").asText()));
            assertThat(shipment.lastBreachAt()).isEqualTo(alerts.stream()
                    .map(a -> Instant.parse(a.path("time").asText())).max(Comparator.naturalOrder()).orElseThrow());

            System.out.printf("device simulator → edge → rule → store: %d sensor messages, %d payload bytes in %d ms "
                            + "(%.0f msg/s); edge uplinked %d messages, %d bytes (%d received by the tap); "
                            + "uplink reduction edge/simulator = %.4f; rule runner %s%n",
                    sent.messages(), sent.payloadBytes(), sent.elapsed().toMillis(), sent.messagesPerSecond(),
                    edgeStats.published(), edgeBytes.get(), edgeMessages.get(),
                    (double) edgeBytes.get() / sent.payloadBytes(), rule.stats());
        }
    }
}
