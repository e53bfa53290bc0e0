package io.waybill.opsapi;

import io.waybill.domain.incident.IncidentActionRefused;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.ingestion.TransientDependencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ops API's router in plain Java: a request in, a response out, every failure a problem response. The routes
 * are the ones of {@code waybill/openapi/ops-api.yaml}, answered by one {@link RouteFamily} per first path segment;
 * the order of checks is: token claims (401; not for a family that needs none, the dashboard), route (404, 405),
 * scope (403), parameters and body (400), then the read model or the domain.
 * <p>
 * Bad input is never a 500: parameters and bodies are parsed into typed values and a refusal names the parameter. A
 * store that does not answer is a 503; only a defect is a 500.
 */
public final class OpsApi {
    /** Items per page when the caller names no {@code limit}. */
    public static final int DEFAULT_LIMIT = 25;
    /** The largest {@code limit}. */
    public static final int MAX_LIMIT = 100;
    /** The longest note an action takes (the contract's maxLength). */
    public static final int MAX_NOTE = IncidentRoutes.MAX_NOTE;
    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    private final Map<String, RouteFamily> families = new LinkedHashMap<>();
    private final String writerGroup;

    /**
     * Writes need the write scope alone.
     *
     * @throws IllegalArgumentException when two families claim the same first segment
     */
    public OpsApi(List<RouteFamily> families) {
        this(families, null);
    }

    /**
     * @param writerGroup the group a caller must belong to for a write ({@link Caller#GROUPS_CLAIM}: the Cognito
     *                    group of the users who may act), or null when the write scope alone decides
     * @throws IllegalArgumentException when two families claim the same first segment
     */
    public OpsApi(List<RouteFamily> families, String writerGroup) {
        this.writerGroup = writerGroup == null || writerGroup.isBlank() ? null : writerGroup;
        for (RouteFamily f : families) {
            if (this.families.put(f.root(), f) != null) {
                throw new IllegalArgumentException("two route families for /" + f.root());
            }
        }
    }

    /**
     * Builds every family now that would otherwise be built on its first request ({@link LazyRouteFamily}): what a
     * SnapStart snapshot should hold, taken after init.
     *
     * @return how many families were built here
     */
    public int prime() {
        int built = 0;
        for (RouteFamily f : families.values()) {
            if (f instanceof LazyRouteFamily lazy) {
                lazy.family();
                built++;
            }
        }
        return built;
    }

    /** These routes, with writes restricted to the members of {@code group} (null: the write scope alone decides). */
    public OpsApi requiringWriterGroup(String group) {
        return new OpsApi(List.copyOf(families.values()), group);
    }

    /** The shipment, incident and health routes and the dashboard. */
    public OpsApi(ShipmentReadModel shipments, IncidentReadModel incidents, IncidentDesk desk,
                  DeadLetterGauge deadLetters, String version, Clock clock) {
        this(coreFamilies(shipments, incidents, desk, deadLetters, version, clock));
    }

    /**
     * The routes every deployment has: shipments, incidents with their actions, health, the dashboard page.
     *
     * @param deadLetters the dead-letter queue's gauge, or null when none is configured
     * @param version     what {@code /health} reports as the version
     */
    public static List<RouteFamily> coreFamilies(ShipmentReadModel shipments, IncidentReadModel incidents,
                                                 IncidentDesk desk, DeadLetterGauge deadLetters, String version,
                                                 Clock clock) {
        return coreFamilies(shipments, null, incidents, desk, deadLetters, version, clock);
    }

    /** As above, with the routes below one shipment ({@code /shipments/{sscc}/...}; null for none). */
    public static List<RouteFamily> coreFamilies(ShipmentReadModel shipments, ShipmentDetailRoutes shipmentDetail,
                                                 IncidentReadModel incidents, IncidentDesk desk,
                                                 DeadLetterGauge deadLetters, String version, Clock clock) {
        return List.of(new ShipmentRoutes(shipments, shipmentDetail), new IncidentRoutes(incidents, desk, clock),
                new HealthRoutes(deadLetters, version, clock), new DashboardRoutes());
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
        List<String> segments = segments(request.rawPath());
        RouteFamily family = segments.isEmpty() ? null : families.get(segments.get(0));
        Caller caller = family != null && family.anonymous() ? Caller.ANONYMOUS : Caller.of(request, writerGroup);
        Query query = Query.parse(request.rawQuery());
        ApiResponse response = family == null ? null : family.route(new Call(request, segments, query, caller));
        if (response == null) {
            throw Problem.noRoute(request.method(), request.rawPath());
        }
        return response;
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
}
