package io.waybill.edge.component;

import io.waybill.domain.event.TemperatureBreached;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.sensor.TraceReplaySource;
import io.waybill.edge.testing.EmbeddedBroker;
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
            assertThat(messages).isEqualTo(expected);
            assertThat(messages).extracting(EdgeMessage::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(messages).filteredOn(m -> m.kind() == EdgeMessage.Kind.ALERT)
                    .extracting(m -> ((TemperatureBreached) m.payload()).deviceId())
                    .containsOnly("reefer-it-1-ra");
            assertThat(component.stats().published()).isEqualTo(expected.size());
            assertThat(component.stats().spoolSize()).isZero();
        }
        assertThat(broker.received()).allSatisfy(r -> assertThat(r.qos()).isEqualTo(1));
    }
}
