package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.domain.event.GeoPoint;
import io.waybill.domain.incident.IncidentDesk;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.waybill.opsapi.ContractCheckedCalls.assertProblem;
import static io.waybill.opsapi.ContractCheckedCalls.READER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The routes, problems and auth of {@link OpsApi}, driven through {@link OpsApiHandler} with hand-built API Gateway
 * payload 2.0 events. Every response is validated against the contract ({@link OpsApiContract}) before the test
 * looks at it; expected values are written out by hand.
 */
class OpsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final String A = "106141412345678908";
    private static final String B = "106141412345678915";
    private static final String C = "106141412345678922";
    private static final String INCIDENT = "cold-chain/" + A + "/chilled";
    private static final String INCIDENT_PATH = "/incidents/cold-chain%2F" + A + "%2Fchilled";
    /** Cognito's resource-server form of the scopes, and no username: the actor is the email. */
    private static final Map<String, String> WRITER = Map.of("sub", "u-2", "email", "qa@example.com",
            "scope", "waybill/ops.read waybill/ops.write");

    private final Fakes.Shipments shipments = new Fakes.Shipments();
    private final Fakes.Incidents incidents = new Fakes.Incidents();
    private final Fakes.Ledger ledger = new Fakes.Ledger();
    private DeadLetterGauge gauge;

    private OpsApiHandler handler() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        List<RouteFamily> families = new java.util.ArrayList<>(OpsApi.coreFamilies(shipments,
                new ShipmentDetailRoutes(shipments, new Fakes.ShipmentEvents(), null, ProductClassCatalog.defaults()),
                incidents, new IncidentDesk(incidents, ledger, new Fakes.NoShipmentStates(), clock), gauge, "1.2.3",
                clock));
        families.add(new KpiRoutes(new KpiRoutesTest.Kpis()));
        DeviceRoutesTest.Devices devices = new DeviceRoutesTest.Devices();
        devices.byId.put(DeviceRoutesTest.THERMO, DeviceRoutesTest.thermo());
        families.add(new DeviceRoutes(devices));
        return new OpsApiHandler(new OpsApi(families, writerGroup));
    }

    /** The group writes need (null: the scope alone decides, as before any writer group is configured). */
    private String writerGroup;

    private Reply call(String method, String path, String query, Map<String, String> claims, List<String> scopes,
                       Map<String, String> headers, String body) {
        return ContractCheckedCalls.call(handler(), method, path, query, claims, scopes, headers, body);
    }

    private Reply get(String path, String query, Map<String, String> claims) {
        return call("GET", path, query, claims, null, Map.of(), null);
    }

    private Reply post(String path, Map<String, String> claims, String body) {
        return ContractCheckedCalls.call(handler(), "POST", path, null, claims, body);
    }

    private static ShipmentState shipment(String sscc, ShipmentStatus status) {
        return new ShipmentState(sscc, status, NOW.minusSeconds(3600), "e-status", null, null, null, null,
                null, null, null, null, null, null, null, NOW.minusSeconds(60), "e-last", "waybill.shipment.departed.v1",
                null, null);
    }

    private static ShipmentIncident openIncident() {
        return ShipmentIncident.open(INCIDENT, A, "COLD_CHAIN_BREACH", "MAJOR", "8.5 C for 40 min",
                NOW.minusSeconds(1800), NOW.minusSeconds(1900), 70);
    }

    // ---- shipments

    @Test
    void shipmentListPassesItsFiltersAndLinksTheNextPage() {
        shipments.pages.put("", new Page<>(List.of(shipment(A, ShipmentStatus.IN_TRANSIT),
                shipment(B, ShipmentStatus.IN_TRANSIT)), "tok-2"));
        shipments.pages.put("tok-2", new Page<>(List.of(shipment(C, ShipmentStatus.IN_TRANSIT)), null));

        Reply first = get("/shipments", "status=in_transit&hold=true&productClass=chilled&limit=2", READER);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().findValuesAsText("sscc")).containsExactly(A, B);
        assertThat(first.body().get("nextPageToken").asText()).isEqualTo("tok-2");
        assertThat(first.header("Link"))
                .isEqualTo("</shipments?status=in_transit&hold=true&productClass=chilled&limit=2&pageToken=tok-2>; rel=\"next\"");
        assertThat(shipments.lastFilter).isEqualTo(new ShipmentReadModel.Filter(ShipmentStatus.IN_TRANSIT, "chilled",
                Boolean.TRUE));
        assertThat(shipments.lastLimit).isEqualTo(2);

        Reply second = get("/shipments", "status=in_transit&hold=true&productClass=chilled&limit=2&pageToken=tok-2",
                READER);
        assertThat(second.body().findValuesAsText("sscc")).containsExactly(C);
        assertThat(second.body().has("nextPageToken")).isFalse();
        assertThat(second.header("Link")).isNull();
        assertThat(shipments.lastToken).isEqualTo("tok-2");
    }

    @Test
    void shipmentListWithoutLimitAsksForTwentyFive() {
        shipments.pages.put("", new Page<>(List.of(), null));
        assertThat(get("/shipments", null, READER).status()).isEqualTo(200);
        assertThat(shipments.lastLimit).isEqualTo(25);
        assertThat(shipments.lastFilter).isEqualTo(new ShipmentReadModel.Filter(null, null, null));
    }

    @Test
    void oneShipmentShowsItsHoldPositionAndPlan() {
        Instant held = NOW.minusSeconds(600);
        ShipmentState s = new ShipmentState(A, ShipmentStatus.IN_TRANSIT, NOW.minusSeconds(3600), "e1", "0614141000005",
                new GeoPoint(52.37, 4.89, 12.0), NOW.minusSeconds(900), "e2", 8.5, NOW.minusSeconds(300), "e3",
                held, null, null, null, NOW.minusSeconds(60), "e4", "waybill.reading.temperature.v1", held, INCIDENT,
                null, null, new ShipmentState.Plan("chilled", "0614141000005", "0614141000012", null, null,
                List.of("reefer-7"), null, null, NOW.minusSeconds(7200), "e0"));
        shipments.bySscc.put(A, s);
        Reply r = get("/shipments/" + A, null, READER);
        assertThat(r.status()).isEqualTo(200);
        JsonNode b = r.body();
        assertThat(b.get("hold").get("onHold").asBoolean()).isTrue();
        assertThat(b.get("hold").get("since").asText()).isEqualTo("2026-03-02T11:50:00Z");
        assertThat(b.get("hold").get("incidentId").asText()).isEqualTo(INCIDENT);
        assertThat(b.get("temperature").get("celsius").asDouble()).isEqualTo(8.5);
        assertThat(b.get("location").get("latitude").asDouble()).isEqualTo(52.37);
        assertThat(b.get("plan").get("productClass").asText()).isEqualTo("chilled");
        assertThat(b.get("plan").get("monitoringDevices").get(0).asText()).isEqualTo("reefer-7");
    }

    @Test
    void unknownShipmentIsANotFoundProblem() {
        assertProblem(get("/shipments/" + B, null, READER), 404, "not-found", null);
    }

    @ParameterizedTest(name = "{0} {1}?{2} -> 400 on {3}")
    @CsvSource(delimiter = '|', value = {
            "GET|/shipments|limit=0|limit",
            "GET|/shipments|limit=101|limit",
            "GET|/shipments|limit=ten|limit",
            "GET|/shipments|limit=1&limit=2|limit",
            "GET|/shipments|hold=yes|hold",
            "GET|/shipments|status=LOST|status",
            "GET|/shipments|productClass=|productClass",
            "GET|/shipments|pageToken=forged|pageToken",
            "GET|/shipments/12345||sscc",
            "GET|/incidents|status=CLOSED|status",
            "GET|/incidents|minAgeMinutes=-1|minAgeMinutes",
            "GET|/incidents|minAgeMinutes=1.5|minAgeMinutes",
            "GET|/incidents/cold-chain%ZZx||incidentId",
    })
    void badParameterIsABadRequestNamingIt(String method, String path, String query, String param) {
        shipments.pages.put("", new Page<>(List.of(), null));
        assertProblem(call(method, path, query, READER, null, Map.of(), null), 400, "invalid-parameter", param);
    }

    // ---- auth and routes

    @Test
    void noClaimsIsUnauthorized() {
        Reply r = get("/health", null, null);
        assertProblem(r, 401, "unauthorized", null);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(get("/shipments", null, Map.of("username", "no-subject")), 401, "unauthorized", null);
        // the claims are still checked before the route: an unknown path tells nothing without a token
        assertProblem(get("/forecasts", null, null), 401, "unauthorized", null);
        assertProblem(get("/dashboards", null, null), 401, "unauthorized", null);
    }

    @Test
    void readNeedsTheReadScopeWhereverItIsGiven() {
        assertProblem(get("/health", null, Map.of("sub", "u-9")), 403, "insufficient-scope", null);
        // the scopes API Gateway lists, not the claim
        assertThat(call("GET", "/health", null, Map.of("sub", "u-9"), List.of("ops.read"), Map.of(), null).status())
                .isEqualTo(200);
        // a list claim flattened by API Gateway
        assertThat(get("/health", null, Map.of("sub", "u-9", "scope", "[ops.read ops.write]")).status())
                .isEqualTo(200);
        // a scope that only contains the name is not it
        assertProblem(get("/health", null, Map.of("sub", "u-9", "scope", "ops.readonly")), 403,
                "insufficient-scope", null);
    }

    @Test
    void actionsNeedTheWriteScope() {
        incidents.byId.put(INCIDENT, openIncident());
        assertProblem(post(INCIDENT_PATH + "/acknowledge", READER, null), 403, "insufficient-scope", null);
        assertThat(ledger.json).isEmpty();
        assertThat(incidents.byId.get(INCIDENT).status()).isEqualTo(IncidentStatus.OPEN);
    }

    @Test
    void withAWriterGroupOnlyItsMembersWriteWhateverTheirScopes() {
        writerGroup = "ops-writers";
        incidents.byId.put(INCIDENT, openIncident());
        // the write scope without any group: refused, nothing recorded
        assertProblem(post(INCIDENT_PATH + "/acknowledge", WRITER, null), 403, "not-a-writer", null);
        // the write scope and another group: refused
        Map<String, String> reader = new java.util.HashMap<>(WRITER);
        reader.put("cognito:groups", "[ops-readers]");
        assertProblem(post(INCIDENT_PATH + "/acknowledge", reader, null), 403, "not-a-writer", null);
        // a group whose name merely contains the writers' group is not it
        reader.put("cognito:groups", "[ops-writers-old]");
        assertProblem(post(INCIDENT_PATH + "/acknowledge", reader, null), 403, "not-a-writer", null);
        assertThat(ledger.json).isEmpty();
        assertThat(incidents.byId.get(INCIDENT).status()).isEqualTo(IncidentStatus.OPEN);
        // a member (API Gateway flattens Cognito's list claim to "[a b]"): acknowledged, one ledger event
        Map<String, String> member = new java.util.HashMap<>(WRITER);
        member.put("cognito:groups", "[ops-readers ops-writers]");
        assertThat(post(INCIDENT_PATH + "/acknowledge", member, null).status()).isEqualTo(200);
        assertThat(ledger.json).hasSize(1);
        // reads need no group
        assertThat(get("/incidents", null, READER).status()).isEqualTo(200);
        // a member without the write scope is still refused for the scope
        Map<String, String> memberReader = new java.util.HashMap<>(READER);
        memberReader.put("cognito:groups", "[ops-writers]");
        assertProblem(post(INCIDENT_PATH + "/resolve", memberReader, null), 403, "insufficient-scope", null);
    }

    @Test
    void unknownRouteAndWrongMethodAreProblems() {
        assertProblem(get("/shipments/" + A + "/history/extra", null, READER), 404, "no-route", null);
        assertProblem(get("/forecasts", null, READER), 404, "no-route", null);
        Reply r = call("DELETE", "/incidents", null, READER, null, Map.of(), null);
        assertProblem(r, 405, "method-not-allowed", null);
        assertThat(r.header("Allow")).isEqualTo("GET");
        assertProblem(get(INCIDENT_PATH + "/acknowledge", null, READER), 405, "method-not-allowed", null);
    }

    @Test
    void everyDocumentedOperationIsServed() {
        incidents.byId.put(INCIDENT, openIncident());
        shipments.pages.put("", new Page<>(List.of(), null));
        shipments.bySscc.put(A, shipment(A, ShipmentStatus.ARRIVED));
        for (String op : OpsApiContract.operations()) {
            String[] mp = op.split(" ");
            if (mp[1].startsWith("/dead-letters")) {
                continue; // another family: DeadLetterApiTest.everyDeadLetterOperationIsServed
            }
            if (mp[1].startsWith("/forecasts")) {
                continue; // another family: ForecastRoutesTest.everyForecastOperationIsServed
            }
            if (mp[1].startsWith("/epcis")) {
                continue; // another family: EpcisRoutesTest.everyEpcisOperationIsServed
            }
            if (mp[1].startsWith("/events")) {
                continue; // another family: ProofRoutesTest.anAnchoredEventIsVerifiedWithItsProofRootTransactionAndBlock
            }
            String path = mp[1].replace("{sscc}", A).replace("{incidentId}", "cold-chain%2F" + A + "%2Fchilled")
                    .replace("{deviceId}", DeviceRoutesTest.THERMO).replace("{asset}", "app.js");
            String body = op.endsWith("/disposition") ? "{\"disposition\":\"RELEASE\"}" : null;
            incidents.byId.put(INCIDENT, openIncident());
            Reply r = call(mp[0], path, null, WRITER, null, body == null ? Map.of()
                    : Map.of("Content-Type", "application/json"), body);
            assertThat(r.status()).as(op).isEqualTo(200);
        }
    }

    // ---- incidents

    @Test
    void incidentIdWithSlashesIsOneEncodedSegment() {
        incidents.byId.put(INCIDENT, openIncident());
        Reply r = get(INCIDENT_PATH, null, READER);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("incidentId").asText()).isEqualTo(INCIDENT);
        assertThat(r.body().get("openedAt").asText()).isEqualTo("2026-03-02T11:30:00Z");
    }

    @Test
    void incidentListTurnsTheMinimumAgeIntoACutoff() {
        incidents.byId.put(INCIDENT, openIncident());
        Reply r = get("/incidents", "status=open&severity=MAJOR&minAgeMinutes=90&limit=10", READER);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("items").get(0).get("incidentId").asText()).isEqualTo(INCIDENT);
        // 12:00 - 90 min = 10:30
        assertThat(incidents.lastFilter).isEqualTo(new IncidentReadModel.Filter(IncidentStatus.OPEN, "MAJOR",
                Instant.parse("2026-03-02T10:30:00Z")));
        assertThat(incidents.lastLimit).isEqualTo(10);
    }

    @Test
    void acknowledgementRecordsTheTokensActorNotTheBodys() throws Exception {
        incidents.byId.put(INCIDENT, openIncident());
        // an actor in the body is refused, nothing recorded
        assertProblem(post(INCIDENT_PATH + "/acknowledge", WRITER, "{\"actor\":\"mallory\"}"), 400,
                "invalid-parameter", "actor");
        assertThat(ledger.json).isEmpty();

        Reply r = post(INCIDENT_PATH + "/acknowledge", WRITER, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(r.body().get("acknowledgedAt").asText()).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(ledger.json).hasSize(1);
        JsonNode data = JSON.readTree(ledger.json.values().iterator().next()).get("data");
        assertThat(data.get("actor").asText()).isEqualTo("qa@example.com");
        assertThat(data.get("action").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(data.get("incidentId").asText()).isEqualTo(INCIDENT);
    }

    @Test
    void theActorIsTheUsernameThenTheEmailThenTheSubject() throws Exception {
        Map<String, String> claims = new HashMap<>(Map.of("sub", "3f1c-subject", "scope", "ops.read ops.write"));
        incidents.byId.put(INCIDENT, openIncident());
        post(INCIDENT_PATH + "/resolve", claims, "{\"note\":\"probe fault\"}");
        JsonNode data = JSON.readTree(ledger.json.values().iterator().next()).get("data");
        assertThat(data.get("actor").asText()).isEqualTo("3f1c-subject");
        assertThat(data.get("note").asText()).isEqualTo("probe fault");

        ledger.json.clear();
        claims.put("email", "qa@example.com");
        claims.put("username", "bob");
        incidents.byId.put(INCIDENT, openIncident());
        post(INCIDENT_PATH + "/acknowledge", claims, null);
        assertThat(JSON.readTree(ledger.json.values().iterator().next()).get("data").get("actor").asText())
                .isEqualTo("bob");
    }

    @Test
    void dispositionResolvesWithItsText() {
        incidents.byId.put(INCIDENT, openIncident());
        Reply r = call("POST", INCIDENT_PATH + "/disposition", null, WRITER, null,
                Map.of("CONTENT-TYPE", "application/json; charset=utf-8"), "{\"disposition\":\"REJECT\",\"note\":\"warm\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asText()).isEqualTo("RESOLVED");
        assertThat(r.body().get("resolution").asText()).isEqualTo("REJECT: warm");
    }

    @ParameterizedTest(name = "{0} -> 400 on {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"disposition\":\"KEEP\"}|disposition",
            "{\"disposition\":7}|disposition",
            "{\"note\":\"no disposition\"}|disposition",
            "{\"disposition\":\"RELEASE\",\"note\":5}|note",
            "[1,2]|body",
            "{not json|body",
    })
    void badDispositionBodyIsABadRequestNamingTheField(String body, String field) {
        incidents.byId.put(INCIDENT, openIncident());
        assertProblem(post(INCIDENT_PATH + "/disposition", WRITER, body), 400, "invalid-parameter", field);
        assertThat(ledger.json).isEmpty();
    }

    @Test
    void dispositionWithoutBodyOrWithAnotherContentTypeIsABadRequest() {
        incidents.byId.put(INCIDENT, openIncident());
        assertProblem(post(INCIDENT_PATH + "/disposition", WRITER, null), 400, "invalid-parameter", "body");
        assertProblem(call("POST", INCIDENT_PATH + "/disposition", null, WRITER, null,
                        Map.of("content-type", "text/plain"), "{\"disposition\":\"RELEASE\"}"), 400,
                "invalid-parameter", "Content-Type");
        assertThat(ledger.json).isEmpty();
    }

    @Test
    void actionOnAResolvedIncidentIsAConflictAndOnNoIncidentNotFound() {
        incidents.byId.put(INCIDENT, openIncident().resolve(NOW.minusSeconds(60), "RELEASE"));
        assertProblem(post(INCIDENT_PATH + "/acknowledge", WRITER, null), 409, "conflict", null);
        assertProblem(post("/incidents/cold-chain%2F" + B + "%2Fchilled/resolve", WRITER, null), 404, "not-found",
                null);
        assertThat(ledger.json).isEmpty();
    }

    @Test
    void aStoreThatDoesNotAnswerIsUnavailableNotAnError() {
        Fakes.Shipments failing = new Fakes.Shipments() {
            @Override
            public Page<ShipmentState> list(Filter filter, String pageToken, int limit) {
                throw new TransientDependencyException("shipment projection shipments", "timed out", null);
            }
        };
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        OpsApi api = new OpsApi(failing, incidents, new IncidentDesk(incidents, ledger, new Fakes.NoShipmentStates(),
                clock), null, "1.2.3", clock);
        ApiResponse response = api.handle(new ApiRequest("GET", "/shipments", "", Map.of(), null, READER, List.of()));
        assertThat(OpsApiContract.violations("GET", "/shipments", response)).isEmpty();
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers().get("Retry-After")).isEqualTo("1");
    }

    // ---- health

    @Test
    void healthReportsVersionTimeAndTheDeadLetterDepthWhenConfigured() {
        Reply plain = get("/health", null, READER);
        assertThat(plain.body().get("status").asText()).isEqualTo("ok");
        assertThat(plain.body().get("version").asText()).isEqualTo("1.2.3");
        assertThat(plain.body().get("time").asText()).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(plain.body().has("deadLetters")).isFalse();

        gauge = new DeadLetterGauge() {
            @Override
            public String queueUrl() {
                return "http://localhost/000000000000/dlq";
            }

            @Override
            public long approximateDepth() {
                return 7;
            }
        };
        assertThat(get("/health", null, READER).body().get("deadLetters").get("approximateDepth").asLong())
                .isEqualTo(7);

        gauge = new DeadLetterGauge() {
            @Override
            public String queueUrl() {
                return "http://localhost/000000000000/dlq";
            }

            @Override
            public long approximateDepth() {
                throw new IllegalStateException("queue does not exist");
            }
        };
        Reply degraded = get("/health", null, READER);
        assertThat(degraded.status()).isEqualTo(200);
        assertThat(degraded.body().get("status").asText()).isEqualTo("degraded");
        assertThat(degraded.body().get("deadLetters").get("unavailable").asText()).isEqualTo("queue does not exist");
    }

    // ---- dashboard

    /** Written out from the rule "nothing loaded from a CDN": this origin only, no inline script. */
    private static final String SELF_ONLY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Test
    void dashboardPageAndItsAssetsNeedNoTokenAndAllowOnlyThisOrigin() {
        Reply page = get("/dashboard", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(SELF_ONLY);
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        // every file the page links is served, without a token, from this origin (absolute paths, no scheme)
        java.util.regex.Matcher links = java.util.regex.Pattern.compile("(?:src|href)=\"([^\"#]+)\"")
                .matcher(page.text());
        List<String> linked = new java.util.ArrayList<>();
        while (links.find()) {
            linked.add(links.group(1));
        }
        assertThat(linked).containsExactlyInAnyOrder("/dashboard/uPlot.min.css", "/dashboard/dashboard.css",
                "/dashboard/app.js");
        for (String path : linked) {
            Reply asset = get(path, null, null);
            assertThat(asset.status()).as(path).isEqualTo(200);
            assertThat(asset.header("Content-Security-Policy")).isEqualTo(SELF_ONLY);
            assertThat(asset.header("Cache-Control")).isEqualTo("public, max-age=300");
            assertThat(asset.header("Content-Type")).isEqualTo(path.endsWith(".js")
                    ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        }
        // the modules app.js imports, and uPlot's
        for (String module : List.of("api.js", "temperature-plot.js", "forecast-plot.js", "uPlot.esm.js")) {
            assertThat(get("/dashboard/" + module, null, null).status()).as(module).isEqualTo(200);
        }
    }

    @Test
    void dashboardPageHasNoInlineScriptOrStyleTheCspWouldBlock() {
        String html = get("/dashboard", null, null).text();
        // every <script> has a src; no style attribute, no on* handler, no <style> element
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("<style").doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void bundledUplotIsThePinnedReleaseFromNpm() throws Exception {
        java.nio.file.Path uplot = java.nio.file.Path.of("src/main/dashboard/node_modules/uplot");
        // the version package.json and package-lock.json pin
        assertThat(JSON.readTree(uplot.resolve("package.json").toFile()).get("version").asText()).isEqualTo("1.6.32");
        assertThat(get("/dashboard/uPlot.esm.js", null, null).text())
                .isEqualTo(java.nio.file.Files.readString(uplot.resolve("dist/uPlot.esm.js")));
    }

    @Test
    void onlyTheListedAssetsAreServed() {
        assertProblem(get("/dashboard/ops-api.yaml", null, null), 404, "not-found", null);
        assertProblem(get("/dashboard/..%2Fopenapi%2Fops-api.yaml", null, null), 404, "not-found", null);
        assertProblem(get("/dashboard/%2E%2E", null, null), 404, "not-found", null);
        assertProblem(get("/dashboard/app.js/x", null, null), 404, "no-route", null);
        Reply post = call("POST", "/dashboard", null, null, null, Map.of(), null);
        assertProblem(post, 405, "method-not-allowed", null);
        assertThat(post.header("Allow")).isEqualTo("GET");
    }

    @Test
    void unchangedAssetIsNotModifiedForItsEtag() {
        Reply first = get("/dashboard/app.js", null, null);
        String etag = first.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        Reply again = call("GET", "/dashboard/app.js", null, null, null, Map.of("if-none-match", etag), null);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.text()).isEmpty();
        assertThat(call("GET", "/dashboard/app.js", null, null, null, Map.of("If-None-Match", "\"other\""), null)
                .status()).isEqualTo(200);
    }
}
