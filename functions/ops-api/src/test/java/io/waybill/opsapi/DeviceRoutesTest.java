package io.waybill.opsapi;

import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.waybill.opsapi.ContractCheckedCalls.assertProblem;
import static io.waybill.opsapi.ContractCheckedCalls.call;
import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /devices} and {@code /devices/{deviceId}} over a fake read model; the expected JSON is written out here. */
class DeviceRoutesTest {
    static final String THERMO = "thermo-17";
    private static final Instant T = Instant.parse("2026-03-02T08:00:00Z");

    private final Devices devices = new Devices();
    private final OpsApiHandler handler = new OpsApiHandler(new OpsApi(List.of(new DeviceRoutes(devices))));

    /** Canned devices; records the last filter, token and limit. */
    static final class Devices implements DeviceReadModel {
        final List<Summary> summaries = new ArrayList<>();
        final Map<String, Detail> byId = new LinkedHashMap<>();
        String next;
        DeviceStatus lastStatus;
        String lastToken;
        int lastLimit;

        @Override
        public Page<Summary> list(DeviceStatus status, String pageToken, int limit) {
            lastStatus = status;
            lastToken = pageToken;
            lastLimit = limit;
            return new Page<>(summaries, next);
        }

        @Override
        public Optional<Detail> find(String deviceId) {
            return Optional.ofNullable(byId.get(deviceId));
        }
    }

    static DeviceReadModel.Detail thermo() {
        return new DeviceReadModel.Detail(new DeviceReadModel.Summary(THERMO, "thermotrack", DeviceStatus.ACTIVE,
                DeviceScope.SHIPMENT, T, null, T.plusSeconds(5400)),
                List.of(new ShipmentAssignment("106000000000000002", T.plusSeconds(3600), null),
                        new ShipmentAssignment("106000000000000001", T, T.plusSeconds(3600))),
                Map.of("k1", 42L),
                List.of(new DeviceReadModel.SequenceGap("106000000000000002", 4, 6),
                        new DeviceReadModel.SequenceGap("106000000000000002", 9, 9)), 2);
    }

    @Test
    void oneDeviceShowsAssignmentsLastSeenAndItsSequenceGaps() {
        devices.byId.put(THERMO, thermo());

        Reply r = get(handler, "/devices/" + THERMO, null);

        assertThat(r.status()).isEqualTo(200);
        var d = r.body();
        assertThat(d.get("deviceId").asText()).isEqualTo(THERMO);
        assertThat(d.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(d.get("lastSeenAt").asText()).isEqualTo("2026-03-02T09:30:00Z");
        assertThat(d.has("revokedAt")).isFalse();
        assertThat(d.get("assignments").get(0).get("shipmentSscc").asText()).isEqualTo("106000000000000002");
        assertThat(d.get("assignments").get(0).has("until")).isFalse();
        assertThat(d.get("assignments").get(1).get("until").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(d.get("signingSequences").get(0).get("keyId").asText()).isEqualTo("k1");
        assertThat(d.get("signingSequences").get(0).get("lastSequence").asLong()).isEqualTo(42);
        // gaps 4..6 and 9..9: 3 + 1 = 4 missing
        assertThat(d.get("sequenceGaps").get("missing").asLong()).isEqualTo(4);
        assertThat(d.get("sequenceGaps").get("shipmentsChecked").asInt()).isEqualTo(2);
        assertThat(d.get("sequenceGaps").get("ranges").get(0).get("from").asLong()).isEqualTo(4);
        assertThat(d.get("sequenceGaps").get("ranges").get(0).get("to").asLong()).isEqualTo(6);
    }

    @Test
    void withoutTheColdChainStoreThereAreNoGapsNotZeroGaps() {
        DeviceReadModel.Detail t = thermo();
        devices.byId.put(THERMO, new DeviceReadModel.Detail(t.summary(), List.of(), Map.of(), null, 0));

        var d = get(handler, "/devices/" + THERMO, null).body();

        assertThat(d.has("sequenceGaps")).isFalse();
        assertThat(d.get("assignments")).isEmpty();
    }

    @Test
    void listPassesTheStatusAndLinksTheNextPage() {
        devices.summaries.add(new DeviceReadModel.Summary("gate-3", "rfid-portal", DeviceStatus.REVOKED,
                DeviceScope.SITE, T, T.plusSeconds(60), null));
        devices.next = "tok-2";

        Reply r = get(handler, "/devices", "status=revoked&limit=10");

        assertThat(devices.lastStatus).isEqualTo(DeviceStatus.REVOKED);
        assertThat(devices.lastLimit).isEqualTo(10);
        var item = r.body().get("items").get(0);
        assertThat(item.get("deviceId").asText()).isEqualTo("gate-3");
        assertThat(item.get("revokedAt").asText()).isEqualTo("2026-03-02T08:01:00Z");
        assertThat(item.has("lastSeenAt")).isFalse();
        assertThat(r.headers().get("Link")).isEqualTo("</devices?status=revoked&limit=10&pageToken=tok-2>; rel=\"next\"");
    }

    @Test
    void unknownDeviceIsNotFoundAndDeeperPathsAreNoRoute() {
        assertProblem(get(handler, "/devices/nobody", null), 404, "not-found", null);
        assertProblem(get(handler, "/devices/" + THERMO + "/gaps", null), 404, "no-route", null);
        assertProblem(call(handler, "DELETE", "/devices/" + THERMO, null), 405, "method-not-allowed",
                null);
    }

    @ParameterizedTest
    @CsvSource({
            "/devices, status=lost, status",
            "/devices, limit=0, limit",
            "/devices, pageToken=, pageToken",
            "/devices/%ZZ, '', deviceId",
    })
    void badParameterIsABadRequestNamingIt(String path, String query, String param) {
        assertProblem(get(handler, path, query), 400, "invalid-parameter", param);
    }

    @Test
    void aTooLongDeviceIdIsABadRequest() {
        assertProblem(get(handler, "/devices/" + "d".repeat(129), null), 400, "invalid-parameter", "deviceId");
    }
}
