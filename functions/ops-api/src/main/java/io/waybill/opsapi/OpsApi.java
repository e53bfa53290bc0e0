package io.waybill.opsapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.IncidentActioned.Disposition;
import io.waybill.domain.incident.IncidentActionRefused;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The ops API's routes in plain Java: a request in, a response out, every failure a problem response. The routes
 * are the ones of {@code waybill/openapi/ops-api.yaml}; the order of checks is: token claims (401), route (404,
 * 405), scope (403), parameters and body (400), then the read model or the {@link IncidentDesk}.
 * <p>
 * Bad input is never a 500: parameters and bodies are parsed here into typed values and a refusal names the
 * parameter. A store that does not answer is a 503; only a defect is a 500.
 */
public final class OpsApi {
    /** Items per page when the caller names no {@code limit}. */
    public static final int DEFAULT_LIMIT = 25;
    /** The largest {@code limit}. */
    public static final int MAX_LIMIT = 100;
    /** The longest note an action takes (the contract's maxLength). */
    public static final int MAX_NOTE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);
    private static final Set<String> ACTIONS = Set.of("acknowledge", "resolve", "disposition");

    private final ShipmentReadModel shipments;
    private final IncidentReadModel incidents;
    private final IncidentDesk desk;
    private final DeadLetterGauge deadLetters;
    private final String version;
    private final Clock clock;

    /**
     * @param deadLetters the dead-letter queue's gauge, or null when none is configured
     * @param version     what {@code /health} reports as the version
     */
    public OpsApi(ShipmentReadModel shipments, IncidentReadModel incidents, IncidentDesk desk,
                  DeadLetterGauge deadLetters, String version, Clock clock) {
        this.shipments = Objects.requireNonNull(shipments, "shipments");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.deadLetters = deadLetters;
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Answers one request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        long started = System.nanoTime();
        ApiResponse response;
        try {
            response = route(request);
        } catch (Problem p) {
            response = p.toResponse(request.rawPath());
        } catch (PageTokenRefused e) {
            response = Problem.invalidParam("pageToken", e.getMessage()).toResponse(request.rawPath());
        } catch (IncidentActionRefused e) {
            response = (e.reason() == IncidentActionRefused.Reason.NO_SUCH_INCIDENT
                    ? Problem.notFound(e.getMessage()) : Problem.conflict(e.getMessage())).toResponse(request.rawPath());
        } catch (TransientDependencyException e) {
            LOG.warn("dependency did not answer: {}", e.getMessage());
            response = Problem.unavailable(e.dependency() + " did not answer; retry later").toResponse(request.rawPath());
        } catch (RuntimeException e) {
            LOG.error("defect answering {} {}", request.method(), request.rawPath(), e);
            response = Problem.internal("an error on our side; it is logged").toResponse(request.rawPath());
        }
        LOG.info("{} {} -> {} in {} ms", request.method(), request.rawPath(), response.status(),
                (System.nanoTime() - started) / 1_000_000);
        return response;
    }

    private ApiResponse route(ApiRequest request) {
        Caller caller = Caller.of(request);
        List<String> segments = segments(request.rawPath());
        String method = request.method();
        Query query = Query.parse(request.rawQuery());
        int n = segments.size();
        String first = n == 0 ? "" : segments.get(0);
        switch (first) {
            case "shipments":
                if (n == 1) {
                    allow(method, "GET", request);
                    caller.require(Caller.READ);
                    return listShipments(request, query);
                }
                if (n == 2) {
                    allow(method, "GET", request);
                    caller.require(Caller.READ);
                    return getShipment(segments.get(1));
                }
                break;
            case "incidents":
                if (n == 1) {
                    allow(method, "GET", request);
                    caller.require(Caller.READ);
                    return listIncidents(request, query);
                }
                // An incident id is one URL-encoded segment; should a proxy decode its %2F, the segments between
                // "incidents" and the action are joined back into the id.
                String last = segments.get(n - 1);
                if (n >= 3 && ACTIONS.contains(last)) {
                    allow(method, "POST", request);
                    caller.require(Caller.READ);
                    caller.require(Caller.WRITE);
                    return act(last, incidentId(segments.subList(1, n - 1)), jsonBody(request), caller);
                }
                allow(method, "GET", request);
                caller.require(Caller.READ);
                return getIncident(incidentId(segments.subList(1, n)));
            case "health":
                if (n == 1) {
                    allow(method, "GET", request);
                    caller.require(Caller.READ);
                    return health();
                }
                break;
            default:
                break;
        }
        throw Problem.noRoute(method, request.rawPath());
    }

    private static void allow(String method, String allowed, ApiRequest request) {
        if (!method.equals(allowed)) {
            throw Problem.methodNotAllowed(method, request.rawPath(), allowed);
        }
    }

    // ---- shipments

    private ApiResponse listShipments(ApiRequest request, Query q) {
        ShipmentStatus status = q.enumValue("status", ShipmentStatus.class);
        String productClass = q.text("productClass", 64);
        Boolean hold = q.bool("hold");
        String token = q.text("pageToken", 2048);
        int limit = q.limit();
        Page<ShipmentState> page = shipments.list(new ShipmentReadModel.Filter(status, productClass, hold), token,
                limit);
        return page(request, q, page, OpsApi::shipmentJson);
    }

    private ApiResponse getShipment(String rawSscc) {
        String sscc = decode(rawSscc, "sscc");
        if (!sscc.matches("[0-9]{18}")) {
            throw Problem.invalidParam("sscc", "an SSCC is 18 digits");
        }
        return shipments.find(sscc).map(s -> ApiResponse.json(200, Json.write(shipmentJson(s)), Map.of()))
                .orElseThrow(() -> Problem.notFound("no shipment " + sscc));
    }

    static ObjectNode shipmentJson(ShipmentState s) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("sscc", s.shipmentSscc());
        n.put("status", s.status().name());
        instant(n, "statusAt", s.statusAt());
        if (s.locationGln() != null || s.position() != null) {
            ObjectNode loc = n.putObject("location");
            text(loc, "gln", s.locationGln());
            if (s.position() != null) {
                loc.put("latitude", s.position().latitude());
                loc.put("longitude", s.position().longitude());
                if (s.position().accuracyMetres() != null) {
                    loc.put("accuracyMetres", s.position().accuracyMetres());
                }
            }
            instant(loc, "at", s.locationAt());
        }
        if (s.temperatureCelsius() != null) {
            ObjectNode t = n.putObject("temperature");
            t.put("celsius", s.temperatureCelsius());
            instant(t, "at", s.temperatureAt());
        }
        instant(n, "lastBreachAt", s.lastBreachAt());
        text(n, "custodianGln", s.custodianGln());
        instant(n, "custodyAt", s.custodyAt());
        if (s.lastEventId() != null) {
            ObjectNode e = n.putObject("lastEvent");
            text(e, "id", s.lastEventId());
            text(e, "type", s.lastEventType());
            instant(e, "at", s.lastEventAt());
        }
        ObjectNode hold = n.putObject("hold");
        hold.put("onHold", s.onQualityHold());
        instant(hold, "since", s.qualityHoldAt());
        text(hold, "incidentId", s.qualityHoldIncidentId());
        instant(hold, "releasedAt", s.qualityHoldReleasedAt());
        text(hold, "releasedBy", s.qualityHoldReleasedBy());
        ShipmentState.Plan p = s.plan();
        if (p != null) {
            ObjectNode plan = n.putObject("plan");
            plan.put("productClass", p.productClass());
            text(plan, "originGln", p.originGln());
            text(plan, "destinationGln", p.destinationGln());
            instant(plan, "plannedDeparture", p.plannedDeparture());
            instant(plan, "plannedArrival", p.plannedArrival());
            ArrayNode devices = plan.putArray("monitoringDevices");
            p.monitoringDevices().forEach(devices::add);
            text(plan, "shipperGln", p.shipperGln());
            text(plan, "consigneeGln", p.consigneeGln());
            instant(plan, "plannedAt", p.plannedAt());
        }
        return n;
    }

    // ---- incidents

    private ApiResponse listIncidents(ApiRequest request, Query q) {
        IncidentStatus status = q.enumValue("status", IncidentStatus.class);
        String severity = q.text("severity", 32);
        Integer minAge = q.integer("minAgeMinutes", 0, 5_256_000);
        String token = q.text("pageToken", 2048);
        int limit = q.limit();
        Instant cutoff = minAge == null ? null : clock.instant().minus(Duration.ofMinutes(minAge));
        Page<ShipmentIncident> page = incidents.list(new IncidentReadModel.Filter(status, severity, cutoff), token,
                limit);
        return page(request, q, page, OpsApi::incidentJson);
    }

    private ApiResponse getIncident(String incidentId) {
        return incidents.find(incidentId).map(i -> ApiResponse.json(200, Json.write(incidentJson(i)), Map.of()))
                .orElseThrow(() -> Problem.notFound("no incident " + incidentId));
    }

    private ApiResponse act(String action, String incidentId, String body, Caller caller) {
        JsonNode b = body(body, "disposition".equals(action));
        ShipmentIncident after;
        try {
            switch (action) {
                case "acknowledge" -> {
                    fields(b, Set.of());
                    after = desk.acknowledge(incidentId, caller.actor());
                }
                case "resolve" -> {
                    fields(b, Set.of("note"));
                    after = desk.resolve(incidentId, note(b), caller.actor());
                }
                default -> {
                    fields(b, Set.of("disposition", "note"));
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
                    after = desk.disposition(incidentId, disposition, note(b), caller.actor());
                }
            }
        } catch (IllegalStateException e) {
            // the incident moved between the desk's read and its conditional write (another operator)
            throw Problem.conflict("incident " + incidentId + " changed meanwhile; read it again");
        }
        LOG.info("incident {} {} by {}", incidentId, action, caller.actor());
        return ApiResponse.json(200, Json.write(incidentJson(after)), Map.of());
    }

    /** The body, when it is declared JSON (or its type is not declared); the header name in any case. */
    private static String jsonBody(ApiRequest request) {
        String type = request.header("Content-Type");
        if (request.body() != null && !request.body().isBlank() && type != null
                && !type.split(";", 2)[0].strip().equalsIgnoreCase(ApiResponse.JSON)) {
            throw Problem.invalidParam("Content-Type", "the body must be " + ApiResponse.JSON + ", was " + type);
        }
        return request.body();
    }

    /** The body as a JSON object; an empty object when absent and not required. */
    private static JsonNode body(String body, boolean required) {
        if (body == null || body.isBlank()) {
            if (required) {
                throw Problem.invalidParam("body", "a JSON object is required");
            }
            return Json.MAPPER.createObjectNode();
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw Problem.invalidParam("body", "not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw Problem.invalidParam("body", "must be a JSON object");
        }
        return n;
    }

    private static void fields(JsonNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw Problem.invalidParam(f, "not a field of this request" + (known.isEmpty() ? ""
                        : " (fields: " + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }

    private static String note(JsonNode body) {
        JsonNode n = body.get("note");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw Problem.invalidParam("note", "must be a string");
        }
        if (n.asText().length() > MAX_NOTE) {
            throw Problem.invalidParam("note", "at most " + MAX_NOTE + " characters");
        }
        return n.asText();
    }

    static ObjectNode incidentJson(ShipmentIncident i) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("incidentId", i.incidentId());
        n.put("shipmentSscc", i.shipmentSscc());
        n.put("kind", i.kind());
        n.put("severity", i.severity());
        text(n, "summary", i.summary());
        n.put("status", i.status().name());
        instant(n, "openedAt", i.openedAt());
        instant(n, "evidenceTime", i.evidenceTime());
        instant(n, "acknowledgedAt", i.acknowledgedAt());
        instant(n, "resolvedAt", i.resolvedAt());
        text(n, "resolution", i.resolution());
        n.put("edgeAttention", i.edgeAttention());
        return n;
    }

    private static String incidentId(List<String> rawSegments) {
        List<String> parts = new ArrayList<>();
        for (String s : rawSegments) {
            parts.add(decode(s, "incidentId"));
        }
        String id = String.join("/", parts);
        if (id.isEmpty() || id.length() > 512) {
            throw Problem.invalidParam("incidentId", "1 to 512 characters");
        }
        return id;
    }

    // ---- health

    private ApiResponse health() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("status", "ok");
        n.put("version", version);
        n.put("time", clock.instant().toString());
        if (deadLetters != null) {
            ObjectNode dl = n.putObject("deadLetters");
            dl.put("queueUrl", deadLetters.queueUrl());
            try {
                dl.put("approximateDepth", deadLetters.approximateDepth());
            } catch (RuntimeException e) {
                n.put("status", "degraded");
                dl.put("unavailable", String.valueOf(e.getMessage()));
            }
        }
        return ApiResponse.json(200, Json.write(n), Map.of());
    }

    // ---- paging and parameters

    private static <T> ApiResponse page(ApiRequest request, Query q, Page<T> page, Function<T, ObjectNode> json) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        ArrayNode items = n.putArray("items");
        page.items().forEach(i -> items.add(json.apply(i)));
        Map<String, String> headers = new LinkedHashMap<>();
        if (page.nextPageToken() != null) {
            n.put("nextPageToken", page.nextPageToken());
            headers.put("Link", "<" + request.rawPath() + "?" + q.with("pageToken", page.nextPageToken())
                    + ">; rel=\"next\"");
        }
        return ApiResponse.json(200, Json.write(n), headers);
    }

    private static List<String> segments(String rawPath) {
        String p = rawPath;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? List.of() : Arrays.asList(p.split("/", -1));
    }

    /** Percent-decoding of a path segment ({@code +} stays a plus); malformed escapes are the caller's 400. */
    static String decode(String raw, String param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw Problem.invalidParam(param, "malformed percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw Problem.invalidParam(param, "malformed percent-encoding");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void instant(ObjectNode n, String field, Instant t) {
        if (t != null) {
            n.put(field, t.toString());
        }
    }

    private static void text(ObjectNode n, String field, String v) {
        if (v != null) {
            n.put(field, v);
        }
    }

    /** The query string's parameters, each at most once, parsed into typed values or refused naming the parameter. */
    record Query(Map<String, String> values) {
        static Query parse(String rawQuery) {
            Map<String, String> values = new LinkedHashMap<>();
            if (!rawQuery.isEmpty()) {
                for (String pair : rawQuery.split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String name = formDecode(eq < 0 ? pair : pair.substring(0, eq), "query");
                    String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1), name);
                    if (values.put(name, value) != null) {
                        throw Problem.invalidParam(name, "given more than once");
                    }
                }
            }
            return new Query(values);
        }

        private static String formDecode(String raw, String param) {
            return decode(raw.replace('+', ' '), param);
        }

        String text(String name, int maxLength) {
            String v = values.get(name);
            if (v == null) {
                return null;
            }
            if (v.isEmpty() || v.length() > maxLength) {
                throw Problem.invalidParam(name, "1 to " + maxLength + " characters");
            }
            return v;
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String v = values.get(name);
            if (v == null) {
                return null;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(v.toUpperCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw Problem.invalidParam(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }

        Boolean bool(String name) {
            String v = values.get(name);
            if (v == null) {
                return null;
            }
            return switch (v) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw Problem.invalidParam(name, "must be true or false");
            };
        }

        Integer integer(String name, int min, int max) {
            String v = values.get(name);
            if (v == null) {
                return null;
            }
            int i;
            try {
                i = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw Problem.invalidParam(name, "must be an integer from " + min + " to " + max);
            }
            if (i < min || i > max) {
                throw Problem.invalidParam(name, "must be an integer from " + min + " to " + max);
            }
            return i;
        }

        int limit() {
            Integer l = integer("limit", 1, MAX_LIMIT);
            return l == null ? DEFAULT_LIMIT : l;
        }

        /** This query with one parameter set, encoded again. */
        String with(String name, String value) {
            Map<String, String> v = new LinkedHashMap<>(values);
            v.put(name, value);
            StringBuilder sb = new StringBuilder();
            v.forEach((k, val) -> {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(val, StandardCharsets.UTF_8));
            });
            return sb.toString();
        }
    }
}
