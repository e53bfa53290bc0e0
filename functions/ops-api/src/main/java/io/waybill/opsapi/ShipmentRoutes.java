package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /shipments} and {@code GET /shipments/{sscc}}: the shipment projection, with the shipments' open
 * (OPEN or ACKNOWLEDGED) incidents when an {@link OpenIncidentReadModel} is given: a count per listed shipment and the
 * {@code openIncidents} filter (from one read of the fleet's open incidents per request, at most
 * {@value #MAX_OPEN_INCIDENTS}; beyond that the page's shipments are asked one by one and the filter is refused), the
 * ids for one shipment.
 */
final class ShipmentRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "shipments";
    /**
     * The most open incidents one list request reads (two Queries of their status index). An operation with more open
     * incidents than this still gets its counts (per shipment of the page) but not the filter.
     */
    static final int MAX_OPEN_INCIDENTS = 1000;
    private final ShipmentReadModel shipments;
    private final ShipmentDetailRoutes detail;
    private final OpenIncidentReadModel openIncidents;

    ShipmentRoutes(ShipmentReadModel shipments) {
        this(shipments, null);
    }

    /** @param detail the routes below one shipment (temperatures, history, exposure), or null for none */
    ShipmentRoutes(ShipmentReadModel shipments, ShipmentDetailRoutes detail) {
        this(shipments, detail, null);
    }

    private ShipmentRoutes(ShipmentReadModel shipments, ShipmentDetailRoutes detail,
                           OpenIncidentReadModel openIncidents) {
        this.shipments = Objects.requireNonNull(shipments, "shipments");
        this.detail = detail;
        this.openIncidents = openIncidents;
    }

    /** These routes with the shipments' open incidents (counts, filter, ids). */
    ShipmentRoutes withOpenIncidents(OpenIncidentReadModel openIncidents) {
        return new ShipmentRoutes(shipments, detail, Objects.requireNonNull(openIncidents, "openIncidents"));
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() == 1) {
            call.allow("GET", Caller.READ);
            return listShipments(call);
        }
        if (call.size() == 2) {
            call.allow("GET", Caller.READ);
            return getShipment(call, call.decoded(1, "sscc"));
        }
        if (call.size() == 3 && detail != null) {
            return detail.route(call);
        }
        return null;
    }

    /** @throws Problem 400 naming {@code sscc} unless it is 18 digits */
    static String sscc(String sscc) {
        if (!sscc.matches("[0-9]{18}")) {
            throw Problem.invalidParam("sscc", "an SSCC is 18 digits");
        }
        return sscc;
    }

    private ApiResponse listShipments(Call call) {
        Query q = call.query();
        ShipmentStatus status = q.enumValue("status", ShipmentStatus.class);
        String productClass = q.text("productClass", 64);
        Boolean hold = q.bool("hold");
        Boolean withOpen = q.bool("openIncidents");
        String token = q.text("pageToken", 2048);
        int limit = q.limit();
        if (openIncidents == null) {
            if (withOpen != null) {
                throw Problem.invalidParam("openIncidents", "incidents are not served by this deployment");
            }
            return call.page(shipments.list(new ShipmentReadModel.Filter(status, productClass, hold), token, limit),
                    ShipmentRoutes::shipmentJson);
        }
        OpenIncidentReadModel.Open open = openIncidents.open(MAX_OPEN_INCIDENTS);
        if (withOpen != null && !open.complete()) {
            throw Problem.unavailable("more than " + MAX_OPEN_INCIDENTS + " incidents are open: the openIncidents "
                    + "filter is not served; list them with /incidents?status=OPEN");
        }
        Page<ShipmentState> page = shipments.list(new ShipmentReadModel.Filter(status, productClass, hold,
                withOpen == null ? null : new ShipmentReadModel.OpenIncidents(withOpen, open.byShipment().keySet())),
                token, limit);
        Map<String, Integer> counts = new HashMap<>();
        for (ShipmentState s : page.items()) {
            List<String> ids = open.complete() ? open.byShipment().get(s.shipmentSscc())
                    : openIncidents.openOf(s.shipmentSscc());
            counts.put(s.shipmentSscc(), ids == null ? 0 : ids.size());
        }
        return call.page(page, s -> shipmentJson(s).put("openIncidents", counts.get(s.shipmentSscc())));
    }

    private ApiResponse getShipment(Call call, String rawSscc) {
        String sscc = sscc(rawSscc);
        ShipmentState s = shipments.find(sscc).orElseThrow(() -> Problem.notFound("no shipment " + sscc));
        ObjectNode n = shipmentJson(s);
        if (openIncidents != null) {
            ArrayNode ids = n.putArray("openIncidentIds");
            openIncidents.openOf(sscc).forEach(ids::add);
        }
        if (detail != null) {
            detail.exposure(sscc).ifPresent(x -> n.set("exposure", detail.exposureJson(x)));
        }
        return call.ok(n);
    }

    static ObjectNode shipmentJson(ShipmentState s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("sscc", s.shipmentSscc());
        n.put("status", s.status().name());
        Json.instant(n, "statusAt", s.statusAt());
        if (s.locationGln() != null || s.position() != null) {
            ObjectNode loc = n.putObject("location");
            Json.text(loc, "gln", s.locationGln());
            if (s.position() != null) {
                loc.put("latitude", s.position().latitude());
                loc.put("longitude", s.position().longitude());
                if (s.position().accuracyMetres() != null) {
                    loc.put("accuracyMetres", s.position().accuracyMetres());
                }
            }
            Json.instant(loc, "at", s.locationAt());
        }
        if (s.temperatureCelsius() != null) {
            ObjectNode t = n.putObject("temperature");
            t.put("celsius", s.temperatureCelsius());
            Json.instant(t, "at", s.temperatureAt());
        }
        Json.instant(n, "lastBreachAt", s.lastBreachAt());
        Json.text(n, "custodianGln", s.custodianGln());
        Json.instant(n, "custodyAt", s.custodyAt());
        if (s.lastEventId() != null) {
            ObjectNode e = n.putObject("lastEvent");
            Json.text(e, "id", s.lastEventId());
            Json.text(e, "type", s.lastEventType());
            Json.instant(e, "at", s.lastEventAt());
        }
        ObjectNode hold = n.putObject("hold");
        hold.put("onHold", s.onQualityHold());
        Json.instant(hold, "since", s.qualityHoldAt());
        Json.text(hold, "incidentId", s.qualityHoldIncidentId());
        Json.instant(hold, "releasedAt", s.qualityHoldReleasedAt());
        Json.text(hold, "releasedBy", s.qualityHoldReleasedBy());
        ShipmentState.Plan p = s.plan();
        if (p != null) {
            ObjectNode plan = n.putObject("plan");
            plan.put("productClass", p.productClass());
            Json.text(plan, "originGln", p.originGln());
            Json.text(plan, "destinationGln", p.destinationGln());
            Json.instant(plan, "plannedDeparture", p.plannedDeparture());
            Json.instant(plan, "plannedArrival", p.plannedArrival());
            ArrayNode devices = plan.putArray("monitoringDevices");
            p.monitoringDevices().forEach(devices::add);
            Json.text(plan, "shipperGln", p.shipperGln());
            Json.text(plan, "consigneeGln", p.consigneeGln());
            Json.instant(plan, "plannedAt", p.plannedAt());
        }
        return n;
    }
}
