package io.waybill.edge.component;

import io.waybill.domain.event.ConveyorJammed;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.edge.model.ConveyorEdgeModel;
import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.JamConfig;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.model.SequenceCounter;
import io.waybill.edge.sensor.MqttSensorSource;
import io.waybill.edge.sensor.SensorPayload;
import io.waybill.edge.sensor.TraceReplaySource;
import io.waybill.edge.testing.EmbeddedBroker;
import io.waybill.edge.testing.Expected;
import io.waybill.edge.testing.TestSubscriber;
import io.waybill.edge.trace.ConveyorTrace;
import io.waybill.edge.trace.ExpectedJam;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.TraceIncident;
import io.waybill.edge.trace.TraceSample;
import io.waybill.edge.uplink.Mqtt5Connection;
import io.waybill.edge.uplink.Mqtt5Uplink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conveyor jams through the whole component: source → conveyor model → spool → uplink → broker, as the cloud sees
 * them; and through an outage with a restart, like the reefer's alerts in {@link StoreAndForwardTest}.
 */
class ConveyorJamComponentTest {
    private static final String HUB = "dc-hamburg-01";
    private static final String GLN = "4012345000009";

    @TempDir
    Path tmp;

    private static EdgeComponentConfig config(String thing, int spoolMessages) {
        return EdgeComponentConfig.builder(thing, Expected.SSCC)
                .conveyor(new EdgeComponentConfig.Conveyor("sensors/+/current", ConveyorJammed.SignalUnit.A,
                        JamConfig.defaults(), GLN))
                .summaryHeartbeat(Duration.ofHours(1))
                .spoolMaxMessages(spoolMessages)
                .publishTimeout(Duration.ofSeconds(2))
                .retryMinBackoff(Duration.ofMillis(50)).retryMaxBackoff(Duration.ofMillis(300))
                .build();
    }

    private static Mqtt5Uplink connectedUplink(EmbeddedBroker broker, EdgeComponentConfig config) throws Exception {
        Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(broker.endpoint(), config.thingName() + "-uplink",
                config.publishTimeout(), config.retryMinBackoff(), config.retryMaxBackoff());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!uplink.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(uplink.isConnected()).as("uplink connected to the local broker").isTrue();
        return uplink;
    }

    private static List<EdgeMessage> receivedBy(EmbeddedBroker broker, EdgeComponentConfig config) {
        return Expected.dedupe(broker.received().stream().filter(r -> r.topic().equals(config.uplinkTopic()))
                .map(EmbeddedBroker.Received::payload).toList());
    }

    @Test
    void goldenConveyorShiftThroughTheComponentSendsExactlyTheJamDetectedAndClearedAlerts() throws Exception {
        EdgeComponentConfig config = config(HUB, EdgeComponentConfig.DEFAULT_SPOOL_MAX_MESSAGES);
        ConveyorTrace shift = GoldenTraces.conveyorShift();
        ExpectedJam jam = shift.expectedJams().get(0);
        TraceIncident spike = shift.incidents(TraceIncident.Kind.CURRENT_SPIKE).get(0);

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp);
             TestSubscriber cloud = TestSubscriber.subscribe(broker.endpoint(), "cloud-side",
                     "dt/waybill/+/waybill-edge/+")) {
            Mqtt5Uplink uplink = connectedUplink(broker, config);
            TraceReplaySource replay = TraceReplaySource.conveyor(shift.samples(),
                    TraceReplaySource.AS_FAST_AS_POSSIBLE);
            ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), replay, uplink);
            component.start();
            replay.finished().join();
            component.close();

            List<TestSubscriber.Message> got = cloud.await(m -> m.size() >= 2, Duration.ofSeconds(10));
            assertThat(got).extracting(TestSubscriber.Message::topic).containsOnly("dt/waybill/dev/waybill-edge/" + HUB);
            assertThat(got).extracting(TestSubscriber.Message::qos).containsOnly(QOS.AT_LEAST_ONCE);
            List<EdgeMessage> messages = got.stream().map(m -> EdgeMessageJson.fromBytes(m.payload())).toList();
            assertThat(messages).hasSize(2).allSatisfy(m -> {
                assertThat(m.kind()).isEqualTo(EdgeMessage.Kind.ALERT);
                assertThat(m.deviceId()).isEqualTo(HUB);
                assertThat(m.payload()).isInstanceOf(ConveyorJammed.class);
            });
            assertThat(messages).extracting(EdgeMessage::sequence).containsExactly(0L, 1L);
            ConveyorJammed detected = (ConveyorJammed) messages.get(0).payload();
            ConveyorJammed cleared = (ConveyorJammed) messages.get(1).payload();
            assertThat(detected.phase()).isEqualTo(ConveyorJammed.Phase.DETECTED);
            assertThat(cleared.phase()).isEqualTo(ConveyorJammed.Phase.CLEARED);
            assertThat(detected.equipmentId()).isEqualTo(GoldenTraces.CONVEYOR_SENSOR_ID);
            assertThat(detected.edgeDeviceId()).isEqualTo(HUB);
            assertThat(detected.facilityGln()).isEqualTo(GLN);
            // flagged within maxSamplesToDetect samples of the real onset (1 Hz), onset estimated at most 3 s early
            long samples = Duration.between(jam.onsetAt(), detected.detectedTime()).toSeconds() + 1;
            assertThat(samples).isBetween(1L, (long) JamConfig.DEFAULT_MAX_SAMPLES_TO_DETECT);
            assertThat(detected.onsetTime()).isBetween(jam.onsetAt().minusSeconds(3), jam.onsetAt());
            assertThat(cleared.clearedTime()).isBetween(jam.endAt(), jam.endAt().plusSeconds(30));
            // nothing about the spike (or anything else outside the jam)
            assertThat(messages).allSatisfy(m -> assertThat(m.deviceTime())
                    .isAfter(spike.to()).isBetween(jam.onsetAt(), jam.endAt().plusSeconds(60)));
            // what the (deterministic) model says, bit for bit
            ConveyorEdgeModel model = new ConveyorEdgeModel(config.conveyorConfig(), new SequenceCounter(0));
            List<EdgeMessage> expected = new ArrayList<>();
            shift.readings().forEach(r -> expected.addAll(model.accept(r)));
            assertThat(messages).isEqualTo(expected);
            assertThat(component.stats().conveyorReadings()).isEqualTo(shift.readings().size());
            assertThat(component.stats().readings()).isZero();
            assertThat(component.stats().published()).isEqualTo(2);
        }
    }

    @Test
    void mqttSensorSourceSubscribesToTheConveyorTopicTooAndFeedsTheDrivesToTheirModel() throws Exception {
        EdgeComponentConfig config = config("hub-mqtt-1", EdgeComponentConfig.DEFAULT_SPOOL_MAX_MESSAGES);
        // a short jam: warm-up, normal, 30 samples jammed, normal again
        List<ConveyorReading> drive = new ArrayList<>();
        Instant t0 = Expected.T0;
        for (int i = 0; i < 220; i++) {
            double v = (i >= 150 && i < 180 ? 6.2 : 4.0) + ((i * 7) % 5 - 2) * 0.03;
            drive.add(new ConveyorReading("belt-7", t0.plusSeconds(i), Math.round(v * 1000) / 1000.0));
        }
        List<TraceSample> probe = Expected.oneExcursion("ra-1", 5.0, 10.5);

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp)) {
            MqttSensorSource source = new MqttSensorSource(broker.endpoint(), "hub-mqtt-1-sensors",
                    config.sensorTopic(), config::sensorIdOf, config.conveyor().sensorTopic(),
                    config::conveyorSensorIdOf);
            assertThat(source.topicFilters()).containsExactly("sensors/+/temperature", "sensors/+/current");
            Mqtt5Uplink uplink = connectedUplink(broker, config);
            ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
            component.start();
            assertThat(source.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

            try (Mqtt5Connection sensors = Mqtt5Connection.plainTcp(broker.endpoint(), "sensors-1",
                    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5), null)) {
                assertThat(sensors.awaitConnected(Duration.ofSeconds(10))).isTrue();
                publish(sensors, "sensors/belt-7/current", "{\"at\": 1}".getBytes(StandardCharsets.UTF_8));
                for (ConveyorReading r : drive) {
                    publish(sensors, "sensors/belt-7/current", SensorPayload.of(r));
                }
                for (TraceSample s : probe) {
                    publish(sensors, "sensors/ra-1/temperature", SensorPayload.of(s.toTemperatureReading()));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((component.stats().conveyorReadings() < drive.size() || component.stats().readings() < probe.size())
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(component.stats().conveyorReadings()).isEqualTo(drive.size());
            assertThat(component.stats().readings()).isEqualTo(probe.size());
            assertThat(source.rejected()).isEqualTo(1);
            component.close();

            // one device, one sequence: the jam alerts first (they were published first), then the reefer's
            SequenceCounter sequence = new SequenceCounter(0);
            ConveyorEdgeModel conveyors = new ConveyorEdgeModel(config.conveyorConfig(), sequence);
            ReeferEdgeModel reefer = new ReeferEdgeModel(config.reeferConfig(0), sequence);
            List<EdgeMessage> expected = new ArrayList<>();
            drive.forEach(r -> expected.addAll(conveyors.accept(r)));
            probe.forEach(s -> expected.addAll(reefer.accept(s.toTemperatureReading())));
            expected.addAll(reefer.flush());
            assertThat(expected).filteredOn(m -> m.payload() instanceof ConveyorJammed).hasSize(2);
            assertThat(Expected.bySequence(receivedBy(broker, config))).isEqualTo(expected);
        }
    }

    @Test
    void jamAlertsSurviveALinkOutageAndARestartInTheSpoolAndDrainInOrderWhileOnlySummariesAreDropped()
            throws Exception {
        int smallSpool = 20;
        EdgeComponentConfig config = config("hub-sf-1", smallSpool);
        Path spoolDir = tmp.resolve("spool-hub-sf-1");
        List<TraceSample> trip = GoldenTraces.reeferTrip().samples();
        int cut = trip.size() / 4;
        List<TraceSample> shift = GoldenTraces.conveyorShift().samples();
        // three component lifetimes on one spool: reefer 0-12 h (link up); conveyor shift (link down); reefer
        // 12-48 h (link still down: its summaries overflow the 20-message spool)
        record Part(List<TraceSample> samples, boolean conveyor) {
        }
        List<Part> parts = List.of(new Part(trip.subList(0, cut), false), new Part(shift, true),
                new Part(trip.subList(cut, trip.size()), false));

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp)) {
            ReeferEdgeComponent component = null;
            Mqtt5Uplink uplink = null;
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                uplink = i == 0 ? connectedUplink(broker, config) : Mqtt5Uplink.plainTcp(broker.endpoint(),
                        config.thingName() + "-uplink", config.publishTimeout(), config.retryMinBackoff(),
                        config.retryMaxBackoff());
                TraceReplaySource replay = part.conveyor()
                        ? TraceReplaySource.conveyor(part.samples(), TraceReplaySource.AS_FAST_AS_POSSIBLE)
                        : new TraceReplaySource(part.samples(), TraceReplaySource.AS_FAST_AS_POSSIBLE);
                component = new ReeferEdgeComponent(config, spoolDir, replay, uplink, Duration.ofSeconds(10));
                component.start();
                replay.finished().join();
                if (i == 0) {
                    assertThat(component.awaitDrained(Duration.ofSeconds(10))).isTrue();
                    broker.stop(); // the link dies
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (uplink.isConnected() && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(uplink.isConnected()).isFalse();
                }
                if (i < parts.size() - 1) {
                    component.close(); // a restart: flushed into the spool, nothing sent
                }
            }
            assertThat(component.stats().droppedSummaries()).isPositive();
            assertThat(component.stats().droppedAlerts()).isZero();

            broker.start(); // the link comes back
            assertThat(component.awaitDrained(Duration.ofSeconds(20))).isTrue();
            long dropped = component.stats().droppedSummaries();
            component.close();

            List<EdgeMessage> expected = new ArrayList<>();
            long next = 0;
            for (Part part : parts) {
                SequenceCounter sequence = new SequenceCounter(next);
                ReeferEdgeModel reefer = new ReeferEdgeModel(config.reeferConfig(next), sequence);
                ConveyorEdgeModel conveyors = new ConveyorEdgeModel(config.conveyorConfig(), sequence);
                for (TraceSample s : part.samples()) {
                    expected.addAll(part.conveyor() ? conveyors.accept(s.toConveyorReading())
                            : reefer.accept(s.toTemperatureReading()));
                }
                expected.addAll(reefer.flush());
                next = sequence.peek();
            }
            List<EdgeMessage> got = receivedBy(broker, config);
            assertThat(Expected.eachKindInSequenceOrder(got)).as("each kind in order, once").isTrue();
            assertThat(expected).containsAll(got);
            List<EdgeMessage> expectedAlerts = expected.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT)
                    .toList();
            assertThat(expectedAlerts).filteredOn(m -> m.payload() instanceof ConveyorJammed).hasSize(2);
            assertThat(expectedAlerts).filteredOn(m -> m.payload() instanceof TemperatureBreached).hasSize(2);
            assertThat(got).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT).isEqualTo(expectedAlerts);
            assertThat(expected.size() - got.size()).isEqualTo(dropped);
            assertThat(expected).filteredOn(m -> !got.contains(m)).extracting(EdgeMessage::kind)
                    .containsOnly(EdgeMessage.Kind.SUMMARY);
        }
    }

    private static void publish(Mqtt5Connection c, String topic, byte[] payload) throws Exception {
        c.client().publish(new PublishPacket.PublishPacketBuilder(topic, QOS.AT_LEAST_ONCE, payload).build())
                .get(5, TimeUnit.SECONDS);
    }
}
