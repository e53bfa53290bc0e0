package io.waybill.edge.component;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.sensor.TraceReplaySource;
import io.waybill.domain.event.TemperatureObserved;
import io.waybill.edge.sensor.MqttSensorSource;
import io.waybill.edge.sensor.SensorPayload;
import io.waybill.edge.testing.EmbeddedBroker;
import io.waybill.edge.testing.FakeConfigSource;
import io.waybill.edge.uplink.Mqtt5Connection;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import io.waybill.edge.testing.Expected;
import io.waybill.edge.testing.TestSubscriber;
import io.waybill.edge.trace.TraceSample;
import io.waybill.edge.uplink.Mqtt5Uplink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.crt.mqtt5.QOS;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReeferEdgeComponentTest {
    private static final String THING = "reefer-it-1";

    @TempDir
    Path tmp;
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedBroker.start(tmp);
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void componentPublishesSummariesAndAlertsToItsThingTopicWithQos1() throws Exception {
        EdgeComponentConfig config = EdgeComponentConfig.builder(THING, Expected.SSCC)
                .summaryHeartbeat(Duration.ofMinutes(30))
                .retryMinBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500)).build();
        List<TraceSample> trace = Expected.oneExcursion("reefer-it-1-ra", 5.0, 10.0);
        List<EdgeMessage> expected = Expected.messages(config, List.of(trace));
        assertThat(expected).extracting(EdgeMessage::kind).contains(EdgeMessage.Kind.ALERT, EdgeMessage.Kind.SUMMARY);

        try (TestSubscriber subscriber = TestSubscriber.subscribe(broker.endpoint(), "cloud-side",
                "dt/waybill/+/waybill-edge/+")) {
            Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(broker.endpoint(), THING + "-uplink",
                    config.publishTimeout(), config.retryMinBackoff(), config.retryMaxBackoff());
            TraceReplaySource replay = new TraceReplaySource(trace, TraceReplaySource.AS_FAST_AS_POSSIBLE);
            ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), replay, uplink);
            // The first aws-crt connection in a JVM loads the native library: on a loaded machine that can take
            // longer than the component's shutdown drain, so this test waits for the link before it replays.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!uplink.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(uplink.isConnected()).as("uplink connected to the local broker").isTrue();
            component.start();
            replay.finished().join();
            component.close(); // flushes the partial period, drains

            List<TestSubscriber.Message> got = subscriber.await(m -> m.size() >= expected.size(),
                    Duration.ofSeconds(10));
            assertThat(got).hasSize(expected.size());
            assertThat(got).extracting(TestSubscriber.Message::topic)
                    .containsOnly("dt/waybill/dev/waybill-edge/" + THING);
            assertThat(got).extracting(TestSubscriber.Message::qos).containsOnly(QOS.AT_LEAST_ONCE);
            List<EdgeMessage> messages = got.stream().map(m -> EdgeMessageJson.fromBytes(m.payload())).toList();
            // alerts may overtake summaries waiting in the spool; each kind stays in sequence order
            assertThat(messages.stream().sorted(java.util.Comparator.comparingLong(EdgeMessage::sequence)).toList())
                    .isEqualTo(expected);
            for (EdgeMessage.Kind kind : EdgeMessage.Kind.values()) {
                assertThat(messages).filteredOn(m -> m.kind() == kind).extracting(EdgeMessage::sequence)
                        .isSorted().doesNotHaveDuplicates();
            }
            assertThat(messages).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT)
                    .extracting(m -> ((TemperatureBreached) m.payload()).deviceId())
                    .containsOnly("reefer-it-1-ra");
            assertThat(component.stats().published()).isEqualTo(expected.size());
            assertThat(component.stats().spoolSize()).isZero();
        }
        assertThat(broker.received()).allSatisfy(r -> assertThat(r.qos()).isEqualTo(1));
    }

    @Test
    void componentStartsWithoutAShipmentOverMqttAndProcessesReadingsOnceAConfigurationUpdateAssignsOne()
            throws Exception {
        String thing = "reefer-it-2";
        FakeConfigSource configuration = new FakeConfigSource("""
                {"shipmentSscc": "", "summaryHeartbeat": "PT30M",
                 "uplink": {"retryMinBackoff": "PT0.1S", "retryMaxBackoff": "PT0.5S"}}""");
        EdgeComponentConfig config = EdgeComponentConfig.withoutShipment(configuration.read(), thing);
        MqttSensorSource source = new MqttSensorSource(broker.endpoint(), thing + "-sensors", config.sensorTopic(),
                config::sensorIdOf);
        Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(broker.endpoint(), thing + "-uplink", config.publishTimeout(),
                config.retryMinBackoff(), config.retryMaxBackoff());
        ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
        ShipmentAssignments assignments = new ShipmentAssignments(configuration, component, thing, null);
        assignments.start();
        component.start();
        assertThat(component.assignment().state()).isEqualTo(ReeferEdgeComponent.AssignmentState.AWAITING_SHIPMENT);
        assertThat(source.awaitSubscribed(Duration.ofSeconds(10))).isTrue();
        // 30 minutes before the assignment (60 readings, discarded), 60 minutes after (120 readings): a probe at
        // 5.0 °C every 30 s gives 60 readings per 30-minute summary, so exactly two summaries, both the shipment's
        List<TraceSample> before = new java.util.ArrayList<>();
        List<TraceSample> after = new java.util.ArrayList<>();
        for (int i = 0; i < 180; i++) {
            (i < 60 ? before : after).add(new TraceSample("ra", Expected.T0.toEpochMilli() + i * 30_000L, 5.0));
        }
        try (Mqtt5Connection probe = Mqtt5Connection.plainTcp(broker.endpoint(), "probe-ra",
                Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5), null)) {
            assertThat(probe.awaitConnected(Duration.ofSeconds(10))).isTrue();
            publishAll(probe, before);
            awaitCount(() -> component.stats().readingsUnassigned(), before.size());

            configuration.merge("{\"shipmentSscc\": \"" + Expected.SSCC + "\"}");
            assertThat(component.assignment().shipmentSscc()).isEqualTo(Expected.SSCC);
            publishAll(probe, after);
            awaitCount(() -> component.stats().readings(), after.size());
        }
        component.close();
        assignments.close();

        List<EdgeMessage> got = Expected.dedupe(broker.received().stream()
                .filter(r -> r.topic().equals("dt/waybill/dev/waybill-edge/" + thing))
                .map(EmbeddedBroker.Received::payload).toList());
        assertThat(got).extracting(m -> ((TemperatureObserved) m.payload()).shipmentSscc())
                .containsExactly(Expected.SSCC, Expected.SSCC);
        assertThat(got).extracting(m -> ((TemperatureObserved) m.payload()).readingCount())
                .containsExactly(60, 60);
        assertThat(((TemperatureObserved) got.get(0).payload()).windowStart())
                .isEqualTo(Expected.T0.plus(Duration.ofMinutes(30)));
        assertThat(component.stats().readingsUnassigned()).isEqualTo(before.size());
    }

    private static void publishAll(Mqtt5Connection c, List<TraceSample> samples) throws Exception {
        for (TraceSample s : samples) {
            c.client().publish(new PublishPacket.PublishPacketBuilder("sensors/" + s.sensorId() + "/temperature",
                    QOS.AT_LEAST_ONCE, SensorPayload.of(s.toTemperatureReading())).build()).get(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitCount(java.util.function.LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (count.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(count.getAsLong()).isEqualTo(expected);
    }
}
