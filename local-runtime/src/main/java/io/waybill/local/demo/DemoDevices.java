package io.waybill.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.projection.ShipmentProjection;
import io.waybill.local.iot.LocalDeviceAuthority;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry entries of the demo's devices, registered before anything is published, so the demo runs with the
 * registry enforced: the generated traffic's own ({@link GeneratedTraffic#devices()}) and those of the vendor samples
 * from {@code events-samples/} ({@link #ofSamples}), which onboarding would have registered: each sample's device with
 * its adapter, and for a travelling device an assignment to the shipment it reports on over the times it reports.
 */
final class DemoDevices {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A sample device's assignment ends this long after its last event (the end is exclusive). */
    private static final Duration SAMPLE_MARGIN = Duration.ofMinutes(1);

    private DemoDevices() {
    }

    /**
     * The devices of routed sample records ({@code wb_route} = {@code adapter/thing}; partners are no devices):
     * adapter, default scope, no keys (vendor devices do not sign), and per shipment one assignment from its first
     * event to just after its last.
     */
    static List<RegisteredDevice> ofSamples(List<byte[]> payloads, Instant registeredAt) {
        RecordNormalizer normalizer = RecordNormalizer.standard();
        Map<String, String> adapters = new LinkedHashMap<>();
        Map<String, Map<String, Instant[]>> windows = new LinkedHashMap<>();
        for (byte[] p : payloads) {
            String route = route(p);
            if (route == null || route.indexOf('/') < 1) {
                continue;
            }
            String adapter = route.substring(0, route.indexOf('/'));
            String thing = route.substring(route.indexOf('/') + 1);
            if (LocalDeviceAuthority.PARTNER_ADAPTERS.contains(adapter)) {
                continue;
            }
            adapters.putIfAbsent(thing, adapter);
            if (normalizer.normalize(RawRecord.of(p, "demo-devices")) instanceof NormalizationResult.Normalized n) {
                ShipmentProjection.shipmentOf(n.event()).ifPresent(sscc -> {
                    Instant[] w = windows.computeIfAbsent(thing, t -> new LinkedHashMap<>())
                            .computeIfAbsent(sscc, s -> new Instant[] {n.event().time(), n.event().time()});
                    w[0] = w[0].isBefore(n.event().time()) ? w[0] : n.event().time();
                    w[1] = w[1].isAfter(n.event().time()) ? w[1] : n.event().time();
                });
            }
        }
        List<RegisteredDevice> out = new ArrayList<>();
        adapters.forEach((thing, adapter) -> {
            DeviceScope scope = DeviceScope.defaultFor(adapter);
            List<ShipmentAssignment> assignments = new ArrayList<>();
            if (scope == DeviceScope.SHIPMENT) {
                windows.getOrDefault(thing, Map.of()).forEach((sscc, w) ->
                        assignments.add(new ShipmentAssignment(sscc, w[0], w[1].plus(SAMPLE_MARGIN))));
            }
            out.add(new RegisteredDevice(thing, adapter, DeviceStatus.ACTIVE, scope, Map.of(), assignments, Map.of(),
                    registeredAt));
        });
        return out;
    }

    /**
     * Registers every device (replacing an earlier registration of the thing) with its assignments; a thing listed
     * twice is registered once with the assignments of both (its first adapter and scope).
     *
     * @return the number of things registered
     */
    static int registerAll(DynamoDbDeviceRegistry registry, Collection<RegisteredDevice> devices) {
        Map<String, RegisteredDevice> first = new LinkedHashMap<>();
        Map<String, Set<ShipmentAssignment>> assignments = new LinkedHashMap<>();
        for (RegisteredDevice d : devices) {
            first.putIfAbsent(d.thing(), d);
            assignments.computeIfAbsent(d.thing(), t -> new LinkedHashSet<>()).addAll(d.assignments());
        }
        first.forEach((thing, d) -> registry.register(new RegisteredDevice(thing, d.adapter(), d.status(), d.scope(),
                d.keys(), new ArrayList<>(assignments.get(thing)), Map.of(), d.registeredAt()), true));
        return first.size();
    }

    private static String route(byte[] payload) {
        try {
            JsonNode n = JSON.readTree(payload);
            return n != null && n.path("wb_route").isTextual() ? n.get("wb_route").asText() : null;
        } catch (IOException e) {
            return null; // poison: no device
        }
    }
}
