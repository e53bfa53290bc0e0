package io.waybill.edge.sensor;

import io.waybill.edge.component.EdgeComponentConfig;
import io.waybill.edge.component.ReeferEdgeComponent;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.testing.EmbeddedBroker;
import io.waybill.edge.testing.Expected;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MqttSensorSourceTest {
    @TempDir
    Path tmp;

    @Test
    void mqttSensorSourceFeedsTheModel() throws Exception {
        String thing = "reefer-mqtt-1";
        EdgeComponentConfig config = EdgeComponentConfig.builder(thing, Expected.SSCC)
                .summaryHeartbeat(Duration.ofMinutes(30))
                .retryMinBackoff(Duration.ofMillis(100)).retryMaxBackoff(Duration.ofMillis(500)).build();
        List<TraceSample> trace = Expected.oneExcursion("ra-1", 5.0, 10.5);
        List<EdgeMessage> expected = Expected.messages(config, List.of(trace));

        try (EmbeddedBroker broker = EmbeddedBroker.start(tmp)) {
            MqttSensorSource source = new MqttSensorSource(broker.endpoint(), thing + "-sensors",
                    config.sensorTopic(), config::sensorIdOf);
            Mqtt5Uplink uplink = Mqtt5Uplink.plainTcp(broker.endpoint(), thing + "-uplink", config.publishTimeout(),
                    config.retryMinBackoff(), config.retryMaxBackoff());
            ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
            component.start();
            assertThat(source.awaitSubscribed(Duration.ofSeconds(10))).isTrue();

            try (Mqtt5Connection probe = Mqtt5Connection.plainTcp(broker.endpoint(), "probe-ra-1",
                    Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(5), null)) {
                assertThat(probe.awaitConnected(Duration.ofSeconds(10))).isTrue();
                publish(probe, "sensors/ra-1/temperature", "not json".getBytes(StandardCharsets.UTF_8));
                publish(probe, "sensors/ra-1/temperature", "{\"celsius\": 4.0}".getBytes(StandardCharsets.UTF_8));
                for (TraceSample s : trace) {
                    publish(probe, "sensors/ra-1/temperature", SensorPayload.of(s.toTemperatureReading()));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (component.stats().readings() < trace.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(component.stats().readings()).isEqualTo(trace.size());
            assertThat(source.rejected()).isEqualTo(2);
            component.close();

            List<EdgeMessage> got = Expected.dedupe(broker.received().stream()
                    .filter(r -> r.topic().equals(config.uplinkTopic())).map(EmbeddedBroker.Received::payload)
                    .toList());
            // Alerts may overtake summaries on the uplink (alerts go before the backlog); each kind keeps its order.
            for (EdgeMessage.Kind kind : EdgeMessage.Kind.values()) {
                assertThat(got).filteredOn(m -> m.kind() == kind).extracting(EdgeMessage::sequence).isSorted();
            }
            assertThat(got.stream().sorted(java.util.Comparator.comparingLong(EdgeMessage::sequence)).toList())
                    .isEqualTo(expected);
            assertThat(got).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT).hasSize(2);
        }
    }

    private static void publish(Mqtt5Connection c, String topic, byte[] payload) throws Exception {
        c.client().publish(new PublishPacket.PublishPacketBuilder(topic, QOS.AT_LEAST_ONCE, payload).build())
                .get(5, TimeUnit.SECONDS);
    }
}
