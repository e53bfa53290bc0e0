package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.IncidentActioned.Disposition;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /incidents}, {@code GET /incidents/{id}} and the actions {@code POST /incidents/{id}/acknowledge},
 * {@code resolve} and {@code disposition}: each a ledger event through the {@link IncidentDesk}, recorded as the
 * token's caller.
 */
final class IncidentRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "incidents";
    /** The longest note an action takes (the contract's maxLength). */
    static final int MAX_NOTE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(IncidentRoutes.class);
    private static final Set<String> ACTIONS = Set.of("acknowledge", "resolve", "disposition");

    private final IncidentReadModel incidents;
    private final IncidentDesk desk;
    private final Clock clock;

    IncidentRoutes(IncidentReadModel incidents, IncidentDesk desk, Clock clock) {
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        int n = call.size();
        if (n == 1) {
            call.allow("GET", Caller.READ);
            return listIncidents(call);
        }
        // An incident id is one URL-encoded segment; should a proxy decode its %2F, the segments between
        // "incidents" and the action are joined back into the id.
        String last = call.segment(n - 1);
        if (n >= 3 && ACTIONS.contains(last)) {
            call.allow("POST", Caller.READ, Caller.WRITE);
            return act(call, last, incidentId(call.segments().subList(1, n - 1)),
                    RequestBody.jsonBody(call.request()));
        }
        call.allow("GET", Caller.READ);
        return getIncident(call, incidentId(call.segments().subList(1, n)));
    }

    private ApiResponse listIncidents(Call call) {
        Query q = call.query();
        IncidentStatus status = q.enumValue("status", IncidentStatus.class);
        String severity = q.text("severity", 32);
        Integer minAge = q.integer("minAgeMinutes", 0, 5_256_000);
        String token = q.text("pageToken", 2048);
        int limit = q.limit();
        Instant cutoff = minAge == null ? null : clock.instant().minus(Duration.ofMinutes(minAge));
        Page<ShipmentIncident> page = incidents.list(new IncidentReadModel.Filter(status, severity, cutoff), token,
                limit);
        return call.page(page, IncidentRoutes::incidentJson);
    }

    private ApiResponse getIncident(Call call, String incidentId) {
        return incidents.find(incidentId).map(i -> call.ok(incidentJson(i)))
                .orElseThrow(() -> Problem.notFound("no incident " + incidentId));
    }

    private ApiResponse act(Call call, String action, String incidentId, String body) {
        Caller caller = call.caller();
        JsonNode b = RequestBody.body(body, "disposition".equals(action));
        ShipmentIncident after;
        try {
            switch (action) {
                case "acknowledge" -> {
                    RequestBody.fields(b, Set.of());
                    after = desk.acknowledge(incidentId, caller.actor());
                }
                case "resolve" -> {
                    RequestBody.fields(b, Set.of("note"));
                    after = desk.resolve(incidentId, RequestBody.note(b, MAX_NOTE), caller.actor());
                }
                default -> {
                    RequestBody.fields(b, Set.of("disposition", "note"));
                    JsonNode d = b.get("disposition");
                    if (d == null || d.isNull()) {
                        throw Problem.invalidParam("disposition", "required: one of RELEASE, REJECT, DESTROY");
                    }
                    Disposition disposition;
                    try {
                        disposition = d.isTextual() ? Disposition.valueOf(d.asText()) : null;
                    } catch (IllegalArgumentException e) {
                        disposition = null;
                    }
                    if (disposition == null) {
                        throw Problem.invalidParam("disposition", "must be one of RELEASE, REJECT, DESTROY");
                    }
                    after = desk.disposition(incidentId, disposition, RequestBody.note(b, MAX_NOTE), caller.actor());
                }
            }
        } catch (IllegalStateException e) {
            // the incident moved between the desk's read and its conditional write (another operator)
            throw Problem.conflict("incident " + incidentId + " changed meanwhile; read it again");
        }
        LOG.info("incident {} {} by {}", incidentId, action, caller.actor());
        return call.ok(incidentJson(after));
    }

    static ObjectNode incidentJson(ShipmentIncident i) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("incidentId", i.incidentId());
        n.put("shipmentSscc", i.shipmentSscc());
        n.put("kind", i.kind());
        n.put("severity", i.severity());
        Json.text(n, "summary", i.summary());
        n.put("status", i.status().name());
        Json.instant(n, "openedAt", i.openedAt());
        Json.instant(n, "evidenceTime", i.evidenceTime());
        Json.instant(n, "acknowledgedAt", i.acknowledgedAt());
        Json.instant(n, "resolvedAt", i.resolvedAt());
        Json.text(n, "resolution", i.resolution());
        n.put("edgeAttention", i.edgeAttention());
        return n;
    }

    private static String incidentId(List<String> rawSegments) {
        List<String> parts = new ArrayList<>();
        for (String s : rawSegments) {
            parts.add(OpsApi.decode(s, "incidentId"));
        }
        String id = String.join("/", parts);
        if (id.isEmpty() || id.length() > 512) {
            throw Problem.invalidParam("incidentId", "1 to 512 characters");
        }
        return id;
    }
}
