package io.waybill.local.demo;

import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's traffic (the vendor samples and generated trips with resends and poison) with the device registry enforced,
 * its devices registered as the demo registers them, ends exactly as without enforcement: the same events stored, the
 * same rejections (the poison's), no record refused for its device.
 */
@Timeout(300)
class DemoTrafficUnderEnforcedRegistryTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void registeredDemoTrafficEndsAsWithoutEnforcement() throws Exception {
        GeneratedTraffic traffic = new TrafficGenerator(42, 4, 30, 2, 7).generate();
        List<byte[]> payloads = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (SampleCatalog.ValidCase sample : SampleCatalog.valid()) {
            payloads.add(sample.compactRaw());
            keys.add(sample.name());
        }
        int samples = payloads.size();
        for (GeneratedTraffic.TrafficRecord r : traffic.records()) {
            payloads.add(r.payload());
            keys.add(r.partitionKey());
        }

        Map<RejectionReason, Long> open;
        long openStored;
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("demo-open"))
                .shards(2).deploy()) {
            pipeline.publish(payloads, keys);
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            open = pipeline.tally().rejections();
            openStored = pipeline.tally().count(RecordOutcome.STORED);
        }
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("demo-enforced"))
                .shards(2).enforceDeviceRegistry(true).deploy()) {
            List<RegisteredDevice> devices = new ArrayList<>(DemoDevices.ofSamples(payloads.subList(0, samples),
                    TrafficGenerator.TRIP_START));
            devices.addAll(traffic.devices());
            DemoDevices.registerAll(pipeline.deviceRegistry(), devices);
            pipeline.publish(payloads, keys);
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();

            assertThat(pipeline.tally().rejections()).isEqualTo(open);
            assertThat(pipeline.tally().count(RecordOutcome.STORED)).isEqualTo(openStored)
                    .isEqualTo(ExpectedProjection.distinctEvents(payloads));
            assertThat(open.keySet()).doesNotContain(RejectionReason.UNREGISTERED_DEVICE, RejectionReason.UNASSIGNED,
                    RejectionReason.DEVICE_REVOKED, RejectionReason.UNSIGNED, RejectionReason.BAD_SIGNATURE,
                    RejectionReason.REPLAYED);
        }
    }

    @Test
    void generatedDevicesAreRegisteredWithTheirTripsAndPortalsAsSites() {
        GeneratedTraffic traffic = new TrafficGenerator(42, 2, 20, 1, 0).generate();
        // trip k starts at TRIP_START + 10 min * k, the dock-door read 5 min before, the POD 20 + 5 + 10 min after
        Instant start1 = TrafficGenerator.TRIP_START.plus(Duration.ofMinutes(10));
        Instant arrival1 = start1.plus(Duration.ofMinutes(25));

        RegisteredDevice tracker1 = traffic.devices().stream().filter(d -> d.thing().equals("IMEI-356938035643810"))
                .findFirst().orElseThrow();
        assertThat(tracker1.adapter()).isEqualTo("gps-tracker");
        assertThat(tracker1.scope()).isEqualTo(DeviceScope.SHIPMENT);
        assertThat(tracker1.keys()).isEmpty();
        assertThat(tracker1.assignments()).containsExactly(new ShipmentAssignment(traffic.shipments().get(1),
                start1.minusSeconds(300).minus(Duration.ofHours(1)), arrival1.plusSeconds(600).plus(Duration.ofHours(1))));
        assertThat(traffic.devices()).filteredOn(d -> d.thing().startsWith("DOCK-DOOR-"))
                .allSatisfy(d -> {
                    assertThat(d.scope()).isEqualTo(DeviceScope.SITE);
                    assertThat(d.assignments()).isEmpty();
                });
        assertThat(traffic.devices()).extracting(RegisteredDevice::thing)
                .containsExactlyInAnyOrder("DOCK-DOOR-1", "DOCK-DOOR-2", "IMEI-356938035643809",
                        "IMEI-356938035643810", "TT-4200", "CC-901")
                .doesNotContain("SWIFTLOG");
    }
}
