package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.aws.devices.DeviceRegistryTables;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /devices} and {@code /devices/{deviceId}} through the Lambda handler against the local DynamoDB emulator: the
 * registry written by the registry's own administration calls and ingest's {@code recordSeen} (older times refused),
 * the cold chain's standing of an assigned shipment saved with a sequence ledger whose holes are listed here.
 */
@Timeout(120)
class DeviceRoutesOnEmulatorTest {
    private static final String REGISTRY = "ops-api-device-test-registry";
    private static final String EXPOSURE = "ops-api-device-test-exposure";
    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");
    private static final String S1 = "106000000000000021";
    private static final String S2 = "106000000000000022";
    private static final Map<String, String> READER = Map.of("sub", "r-1", "scope", "waybill/ops.read");
    /** Five devices: thermo-1..4 active, gate-9 revoked. */
    private static final List<String> ACTIVE = List.of("thermo-1", "thermo-2", "thermo-3", "thermo-4");

    private static LocalAwsStack stack;
    private static OpsApiHandler handler;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources resources = StackResources.using(stack.clients());
        OpsTables tables = OpsTables.create(resources, "ops-api-device-test");
        resources.createTable(DeviceRegistryTables.registry(REGISTRY));
        resources.createTable(ColdChainTables.exposure(EXPOSURE));
        DynamoDbDeviceRegistry registry = new DynamoDbDeviceRegistry(stack.clients().dynamoDb(), REGISTRY,
                Duration.ZERO, Clock.systemUTC());
        for (String thing : ACTIVE) {
            registry.register(new RegisteredDevice(thing, "thermotrack", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                    Map.of(), List.of(), Map.of(), T), false);
        }
        registry.register(new RegisteredDevice("gate-9", "rfid-portal", DeviceStatus.ACTIVE, DeviceScope.SITE,
                Map.of(), List.of(), Map.of(), T), false);
        registry.revoke("gate-9", T.plusSeconds(600));
        registry.assign("thermo-1", new ShipmentAssignment(S1, T, T.plusSeconds(7200)));
        registry.assign("thermo-1", new ShipmentAssignment(S2, T.plusSeconds(7200), null));
        // ingest's batches: 09:00, then 09:30, then a late redelivery of 08:45 (must not move the time back)
        registry.recordSeen(Map.of("thermo-1", T.plusSeconds(3600), "thermo-2", T.plusSeconds(60)));
        registry.recordSeen(Map.of("thermo-1", T.plusSeconds(5400)));
        registry.recordSeen(Map.of("thermo-1", T.plusSeconds(2700)));
        registry.advanceSequences(Map.of("thermo-1", Map.of("k1", 12L)));
        // the cold chain saw thermo-1's sequences 1-3, 7, 9-12 on S2 (holes 4-6 and 8) and 1-2 on S1 (none);
        // another producer's hole on S2 (5) is not thermo-1's
        DynamoDbEvidenceStore evidence = new DynamoDbEvidenceStore(
                DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb()).build(), EXPOSURE);
        ShipmentExposure s2 = ShipmentExposure.empty(S2, "chilled");
        for (long seq : new long[] {1, 2, 3, 7, 9, 10, 11, 12}) {
            s2 = s2.withSequence("thermo-1", seq);
        }
        s2 = s2.withSequence("logger-5", 4).withSequence("logger-5", 6);
        assertThat(evidence.saveExposure(s2, 0)).isTrue();
        assertThat(evidence.saveExposure(ShipmentExposure.empty(S1, "chilled").withSequence("thermo-1", 1)
                .withSequence("thermo-1", 2), 0)).isTrue();
        handler = new OpsApiHandler(OpsApiFunction.create(tables.settings(null),
                new OpsApiStores(null, REGISTRY, EXPOSURE),
                stack.clients().dynamoDb(), null, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode get(String path, String query, int status) {
        return ContractCheckedCalls.get(handler, path, query, READER).expect(status);
    }

    @Test
    void devicesAreListedOnceEachAcrossPagesWithTheirLastSeen() throws Exception {
        Map<String, JsonNode> seen = new HashMap<>();
        String query = "limit=2";
        int pages = 0;
        while (query != null) {
            JsonNode page = get("/devices", query, 200);
            page.get("items").forEach(d -> assertThat(seen.put(d.get("deviceId").asText(), d)).isNull());
            pages++;
            query = page.has("nextPageToken") ? "limit=2&pageToken=" + page.get("nextPageToken").asText() : null;
        }
        assertThat(pages).isGreaterThanOrEqualTo(3); // 5 devices, 2 a page
        assertThat(seen.keySet()).containsExactlyInAnyOrder("thermo-1", "thermo-2", "thermo-3", "thermo-4", "gate-9");
        // thermo-1: 09:00, then 09:30, then 08:45 refused -> 09:30
        assertThat(seen.get("thermo-1").get("lastSeenAt").asText()).isEqualTo("2026-03-02T09:30:00Z");
        assertThat(seen.get("thermo-2").get("lastSeenAt").asText()).isEqualTo("2026-03-02T08:01:00Z");
        assertThat(seen.get("thermo-3").has("lastSeenAt")).isFalse();
        assertThat(seen.get("gate-9").get("status").asText()).isEqualTo("REVOKED");
    }

    @Test
    void theStatusFilterKeepsOnlyThatStatus() throws Exception {
        List<String> revoked = new ArrayList<>();
        String query = "status=REVOKED";
        while (query != null) {
            JsonNode page = get("/devices", query, 200);
            page.get("items").forEach(d -> revoked.add(d.get("deviceId").asText()));
            query = page.has("nextPageToken") ? "status=REVOKED&pageToken=" + page.get("nextPageToken").asText()
                    : null;
        }
        assertThat(revoked).containsExactly("gate-9");
    }

    @Test
    void oneDeviceShowsItsAssignmentsSequencesAndTheColdChainsHoles() throws Exception {
        JsonNode d = get("/devices/thermo-1", "", 200);
        assertThat(d.get("lastSeenAt").asText()).isEqualTo("2026-03-02T09:30:00Z");
        // latest assignment first
        assertThat(d.get("assignments").get(0).get("shipmentSscc").asText()).isEqualTo(S2);
        assertThat(d.get("assignments").get(1).get("until").asText()).isEqualTo("2026-03-02T10:00:00Z");
        assertThat(d.get("signingSequences").get(0).get("keyId").asText()).isEqualTo("k1");
        assertThat(d.get("signingSequences").get(0).get("lastSequence").asLong()).isEqualTo(12);
        // S2 holes 4-6 (3) and 8 (1): 4 missing; S1 none; logger-5's hole not counted
        JsonNode gaps = d.get("sequenceGaps");
        assertThat(gaps.get("shipmentsChecked").asInt()).isEqualTo(2);
        assertThat(gaps.get("missing").asLong()).isEqualTo(4);
        assertThat(gaps.get("ranges")).hasSize(2);
        assertThat(gaps.get("ranges").get(0).get("shipmentSscc").asText()).isEqualTo(S2);
        assertThat(gaps.get("ranges").get(0).get("from").asLong()).isEqualTo(4);
        assertThat(gaps.get("ranges").get(0).get("to").asLong()).isEqualTo(6);
        assertThat(gaps.get("ranges").get(1).get("from").asLong()).isEqualTo(8);
        assertThat(gaps.get("ranges").get(1).get("to").asLong()).isEqualTo(8);

        assertThat(get("/devices/nobody", "", 404).get("type").asText())
                .isEqualTo("https://waybill.io/problems/not-found");
    }
}
