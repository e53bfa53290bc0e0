package io.waybill.local.devices;

import io.waybill.edge.trace.GoldenTraces;
import io.waybill.local.iot.LocalIotRule;
import io.waybill.local.iot.LocalMqttBroker;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Simulated vendor devices (GPS trackers, RFID portals) → rule runner → Kinesis → ingest → DynamoDB, rate-limited. */
@Timeout(90)
class VendorDevicesToStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void gpsPingsAndRfidReadsFromSeveralDevicesAreStoredPerAdapter() throws Exception {
        Instant start = Instant.now().minus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<DeviceSimulator.DeviceMessage> trace = DeviceSimulator.merge(
                DeviceSimulator.gpsTrackers(3, 10, start, Duration.ofMinutes(1), GoldenTraces.SHIPMENT_SSCC),
                DeviceSimulator.rfidPortals(2, 5, start, Duration.ofMinutes(2), "0614141000012"));

        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalMqttBroker broker = LocalMqttBroker.start(tmp.resolve("broker"));
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("vendor-devices")).shards(2).deploy();
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(stack.clients().kinesis(), pipeline.names().stream())
                     .flushInterval(Duration.ofMillis(50)).start();
             DeviceSimulator simulator = new DeviceSimulator(broker.host(), broker.port(), WAIT)) {
            DeviceSimulator.Result sent = simulator.replay(trace, DeviceSimulator.Rate.perSecond(200));

            assertThat(sent.messages()).isEqualTo(40);
            assertThat(sent.devices()).isEqualTo(5);
            assertThat(sent.elapsed()).as("40 messages at 200/s").isGreaterThanOrEqualTo(Duration.ofMillis(190));
            assertThat(rule.awaitProcessed(40, WAIT)).isTrue();
            assertThat(rule.stats().recordsPut()).isEqualTo(40);
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();

            List<Map<String, AttributeValue>> stored = pipeline.storedEvents();
            Map<String, Long> byAdapter = stored.stream()
                    .collect(Collectors.groupingBy(i -> i.get("adapter").s(), Collectors.counting()));
            assertThat(byAdapter).containsEntry(DeviceSimulator.GPS_ADAPTER, 30L)
                    .containsEntry(DeviceSimulator.RFID_ADAPTER, 10L);
            assertThat(pipeline.deadLetterCount()).isZero();
            assertThat(pipeline.shipments()).containsKey(GoldenTraces.SHIPMENT_SSCC);
            System.out.printf("vendor devices: %d messages from %d devices in %d ms (%.0f msg/s)%n", sent.messages(),
                    sent.devices(), sent.elapsed().toMillis(), sent.messagesPerSecond());
        }
    }
}
