package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.waybill.opsapi.ContractCheckedCalls.READER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The open incidents of {@code GET /shipments} (a count per item, the {@code openIncidents} filter) and
 * {@code GET /shipments/{sscc}} (their ids), every response checked against the contract.
 */
class ShipmentOpenIncidentsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final String A = "106141412345678908";
    private static final String B = "106141412345678915";
    private static final String C = "106141412345678922";

    private final Fakes.Shipments shipments = new Fakes.Shipments();
    /** The fleet's open incidents, by shipment; complete unless told otherwise. */
    private Map<String, List<String>> open = Map.of(A, List.of("cold-chain/A/x", "cold-chain/A/y"),
            C, List.of("cold-chain/C/x"));
    private boolean complete = true;
    private final List<String> askedOneByOne = new ArrayList<>();
    private final List<Integer> fleetReads = new ArrayList<>();

    private final OpenIncidentReadModel incidents = new OpenIncidentReadModel() {
        @Override
        public Open open(int max) {
            fleetReads.add(max);
            return new Open(open, complete);
        }

        @Override
        public List<String> openOf(String sscc) {
            askedOneByOne.add(sscc);
            return open.getOrDefault(sscc, List.of());
        }
    };

    private Reply get(String path, String query, boolean withIncidents) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Fakes.Incidents desk = new Fakes.Incidents();
        List<RouteFamily> families = new ArrayList<>(OpsApi.coreFamilies(shipments, desk,
                new IncidentDesk(desk, new Fakes.Ledger(), new Fakes.NoShipmentStates(), clock), null, "1", clock));
        if (withIncidents) {
            families.replaceAll(f -> f instanceof ShipmentRoutes r ? r.withOpenIncidents(incidents) : f);
        }
        OpsApiHandler handler = new OpsApiHandler(new OpsApi(families));
        return ContractCheckedCalls.get(handler, path, query, READER);
    }

    private static ShipmentState shipment(String sscc) {
        return new ShipmentState(sscc, ShipmentStatus.IN_TRANSIT, T0, "e-status", null, null, null, null, null, null,
                null, null, null, null, null, T0, "e-last", "waybill.shipment.departed.v1", null, null, null, null,
                null);
    }

    private static int count(JsonNode page, String sscc) {
        for (JsonNode i : page.get("items")) {
            if (i.get("sscc").asText().equals(sscc)) {
                return i.get("openIncidents").asInt(-1);
            }
        }
        throw new AssertionError(sscc + " not listed");
    }

    @Test
    void eachListedShipmentCountsItsOpenIncidentsFromOneReadOfTheFleets() {
        shipments.pages.put("", new Page<>(List.of(shipment(A), shipment(B), shipment(C)), null));
        Reply r = get("/shipments", null, true);
        assertThat(r.status()).isEqualTo(200);
        // A has two open, B none, C one: the fleet's open incidents read once, nobody asked one by one
        assertThat(count(r.body(), A)).isEqualTo(2);
        assertThat(count(r.body(), B)).isEqualTo(0);
        assertThat(count(r.body(), C)).isEqualTo(1);
        assertThat(fleetReads).containsExactly(ShipmentRoutes.MAX_OPEN_INCIDENTS);
        assertThat(askedOneByOne).isEmpty();
        assertThat(shipments.lastFilter.open()).isNull();
    }

    @Test
    void beyondTheBoundThePagesShipmentsAreAskedOneByOneAndTheFilterIsRefused() {
        complete = false;
        shipments.pages.put("", new Page<>(List.of(shipment(A), shipment(B)), null));
        Reply r = get("/shipments", null, true);
        assertThat(count(r.body(), A)).isEqualTo(2);
        assertThat(count(r.body(), B)).isEqualTo(0);
        assertThat(askedOneByOne).containsExactly(A, B);
        Reply refused = get("/shipments", "openIncidents=true", true);
        assertThat(refused.status()).isEqualTo(503);
    }

    @Test
    void theFilterPassesTheShipmentsWithOpenIncidentsToTheRead() {
        shipments.pages.put("", new Page<>(List.of(shipment(A), shipment(C)), null));
        assertThat(get("/shipments", "openIncidents=true&hold=true", true).status()).isEqualTo(200);
        ShipmentReadModel.Filter f = shipments.lastFilter;
        assertThat(f.onHold()).isTrue();
        assertThat(f.open().wanted()).isTrue();
        assertThat(f.open().shipments()).containsExactlyInAnyOrder(A, C);
        assertThat(f.open().matches(A)).isTrue();
        assertThat(f.open().matches(B)).isFalse();
        get("/shipments", "openIncidents=false", true);
        assertThat(shipments.lastFilter.open().matches(B)).isTrue();
        assertThat(shipments.lastFilter.open().matches(C)).isFalse();
        // not a boolean: 400 naming it
        Reply bad = get("/shipments", "openIncidents=yes", true);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().toString()).contains("openIncidents");
    }

    @Test
    void oneShipmentListsItsOpenIncidentIds() {
        shipments.bySscc.put(A, shipment(A));
        shipments.bySscc.put(B, shipment(B));
        assertThat(get("/shipments/" + A, null, true).body().get("openIncidentIds"))
                .extracting(JsonNode::asText).containsExactly("cold-chain/A/x", "cold-chain/A/y");
        assertThat(get("/shipments/" + B, null, true).body().get("openIncidentIds")).isEmpty();
        assertThat(fleetReads).isEmpty();
    }

    @Test
    void withoutTheIncidentsReadNothingIsReportedAndTheFilterIsABadRequest() {
        shipments.pages.put("", new Page<>(List.of(shipment(A)), null));
        assertThat(get("/shipments", null, false).body().get("items").get(0).has("openIncidents")).isFalse();
        assertThat(get("/shipments", "openIncidents=true", false).status()).isEqualTo(400);
    }
}
