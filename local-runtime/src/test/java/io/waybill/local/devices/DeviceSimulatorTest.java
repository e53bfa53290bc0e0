package io.waybill.local.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.SensorPayload;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator's traces: topics and payload shapes (no broker). */
class DeviceSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");

    @Test
    void temperatureSensorMessagesAreWhatTheEdgeComponentParses() {
        List<TemperatureReading> readings = GoldenTraces.reeferTrip().readings().subList(0, 3);
        List<DeviceSimulator.DeviceMessage> trace = DeviceSimulator.temperatureSensor(readings);

        assertThat(trace).extracting(DeviceSimulator.DeviceMessage::topic)
                .containsOnly("sensors/" + GoldenTraces.REEFER_SENSOR_ID + "/temperature");
        assertThat(trace).extracting(m -> SensorPayload.parse(GoldenTraces.REEFER_SENSOR_ID, m.payload()))
                .containsExactlyElementsOf(readings);
    }

    @Test
    void gpsPingsHaveTheShapeOfTheRawSampleWithoutTheRuleFields() throws Exception {
        List<DeviceSimulator.DeviceMessage> trace = DeviceSimulator.gpsTrackers(2, 3, T0, Duration.ofMinutes(1),
                GoldenTraces.SHIPMENT_SSCC);

        assertThat(trace).hasSize(6);
        assertThat(trace.stream().map(DeviceSimulator.DeviceMessage::deviceId).distinct()).hasSize(2);
        DeviceSimulator.DeviceMessage first = trace.get(0);
        assertThat(first.topic()).isEqualTo("dt/waybill/local/gps-tracker/" + first.deviceId());
        JsonNode ping = JSON.readTree(first.payload());
        assertThat(ping.path("fix").path("ts").asLong()).isEqualTo(T0.getEpochSecond());
        assertSameShape(ping, SampleCatalog.json("raw/gps-tracker/ping.json"));
    }

    @Test
    void rfidReadsHaveTheShapeOfTheRawSampleWithoutTheRuleFields() throws Exception {
        List<DeviceSimulator.DeviceMessage> trace = DeviceSimulator.rfidPortals(1, 2, T0, Duration.ofSeconds(30),
                "0614141000012");

        assertThat(trace).extracting(DeviceSimulator.DeviceMessage::topic)
                .containsOnly("dt/waybill/local/rfid-portal/DOCK-DOOR-1");
        JsonNode read = JSON.readTree(trace.get(1).payload());
        assertThat(read.path("readTime").asText()).isEqualTo("2026-11-27T08:00:30Z");
        assertSameShape(read, SampleCatalog.json("raw/rfid-portal/dock-door-read.json"));
    }

    @Test
    void mergeOrdersByTimeAndKeepsEachDevicesOrder() {
        List<DeviceSimulator.DeviceMessage> gps = DeviceSimulator.gpsTrackers(2, 5, T0, Duration.ofMinutes(1), "x");
        List<DeviceSimulator.DeviceMessage> rfid = DeviceSimulator.rfidPortals(1, 7, T0, Duration.ofSeconds(40),
                "0614141000012");

        List<DeviceSimulator.DeviceMessage> merged = DeviceSimulator.merge(gps, rfid);

        assertThat(merged).hasSize(17);
        assertThat(merged).extracting(DeviceSimulator.DeviceMessage::at).isSorted();
        assertThat(merged.stream().filter(m -> m.deviceId().equals(gps.get(0).deviceId())).toList())
                .containsExactlyElementsOf(gps.subList(0, 5));
        assertThat(DeviceSimulator.payloadBytes(merged))
                .isEqualTo(DeviceSimulator.payloadBytes(gps) + DeviceSimulator.payloadBytes(rfid));
    }

    @Test
    void rateIsPositiveOrUnlimited() {
        assertThat(DeviceSimulator.Rate.asFastAsPossible().unlimited()).isTrue();
        assertThat(DeviceSimulator.Rate.perSecond(50).unlimited()).isFalse();
        assertThatThrownBy(() -> DeviceSimulator.Rate.perSecond(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeviceSimulator("127.0.0.1", 1883, Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Same field names, recursively (first array element only), ignoring the sample's wb_* fields. */
    private static void assertSameShape(JsonNode actual, JsonNode sample) {
        assertThat(fieldNames(actual)).isEqualTo(fieldNames(sample));
        for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            JsonNode a = actual.get(f);
            JsonNode s = sample.get(f);
            assertThat(a.getNodeType()).as(f).isEqualTo(s.getNodeType());
            if (a.isObject()) {
                assertSameShape(a, s);
            } else if (a.isArray() && !a.isEmpty()) {
                assertSameShape(a.get(0), s.get(0));
            }
        }
    }

    private static TreeSet<String> fieldNames(JsonNode n) {
        TreeSet<String> out = new TreeSet<>();
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        names.stream().filter(name -> !name.startsWith("wb_")).forEach(out::add);
        return out;
    }
}
