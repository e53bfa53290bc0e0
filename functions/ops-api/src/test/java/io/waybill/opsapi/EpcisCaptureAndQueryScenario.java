package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.epcis.EpcisRepository;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EPCIS capture and query routes end to end through {@link OpsApiHandler}, on the repository a subclass gives
 * (maps in {@code EpcisRoutesTest}, DynamoDB on dynalite in the local runtime's {@code EpcisOnDynamoDbTest}). Every
 * response is validated against Waybill's contract ({@link ContractCheckedCalls}) and GS1's own REST binding
 * ({@link Gs1RestBinding}). The documents captured are GS1's examples; the expected answers of each query are
 * worked out by hand from those files (table below), never by the code under test.
 *
 * <pre>
 * key    file [i]                          type            time (UTC)                bizStep/bizLocation      EPCs
 * A df7b 9.6.1-ObjectEvent [0]             Object          2005-04-04T02:33:31.116Z  shipping/-               .2017 .2018
 * B 00e1 9.6.1-ObjectEvent [1]             Object          2005-04-05T02:33:31.116Z  receiving/0012345.11111  .2018
 * C 87b5 9.6.3-AggregationEvent [0]        Aggregation     2013-06-08T14:58:56.591Z  receiving/0614141.00888  child .2017 .2018,
 *                                                                                                             parent sscc
 * D e65c 9.6.4-TransformationEvent [0]     Transformation  2013-10-31T14:58:56.591Z  commissioning/-          in/out lists
 * E 74f1 SensorDataExample1 [0]            Object          2019-04-02T14:00:00Z      inspecting/-             4012345.011111.9876
 * F 0301 SensorDataExample2 [0]            Object          2019-04-02T14:00:00Z      inspecting/-             4012345.011111.9876
 * G aa49 9.6.1-with-error-declaration [0]  Object          2005-04-04T02:33:31.116Z  shipping/-               .2017 .2018
 *        9.6.1-with-error-declaration [1] is B again: reported in the job, not captured twice
 * (.2017 = urn:epc:id:sgtin:0614141.107346.2017; locations are urn:epc:id:sgln:...0)
 * </pre>
 * Order (event time, then eventID): G, A, B, C, D, F, E.
 */
public abstract class EpcisCaptureAndQueryScenario {
    protected static final String PARTNER = "acme-3pl";
    /** A partner's token: read and write. */
    protected static final Map<String, String> PARTNER_TOKEN = Map.of("sub", "u-77", "username", PARTNER, "scope",
            "ops.read ops.write");
    protected static final String A = "ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0";
    protected static final String B = "ni:///sha-256;00e1e6eba3a7cc6125be4793a631f0af50f8322e0ab5f2c0bab994a11cec1d79?ver=CBV2.0";
    protected static final String C = "ni:///sha-256;87b5f18a69993f0052046d4687dfacdf48f7c988cfabda2819688c86b4066a49?ver=CBV2.0";
    protected static final String D = "ni:///sha-256;e65c3a997e77f34b58306da7a82ab0fc91c7820013287700f0b50345e5795b97?ver=CBV2.0";
    protected static final String E = "ni:///sha-256;74f1dc48ee22289bc40ddd9f1d0ecae0dd09a2f4c3dfa66fdbca16cb2d8a4e77?ver=CBV2.0";
    protected static final String F = "ni:///sha-256;0301ed4c40065cde36eb9cc80780312d903a031a91d105639df4e649a9d01200?ver=CBV2.0";
    protected static final String G = "ni:///sha-256;aa49daa1fe0b773e0437e546078dc87de9c864d5b9babe84488f31478887fdf3?ver=CBV2.0";
    /** The reference model of the whole store's order. */
    protected static final List<String> ALL_IN_ORDER = List.of(G, A, B, C, D, F, E);
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>; rel=\"next\"");

    /** Puts on the "stream" what it is given; refuses the next {@link #refuseNext} entries. */
    protected static final class RecordingStream implements StreamRedrive {
        final List<Entry> taken = new CopyOnWriteArrayList<>();
        volatile int refuseNext;

        @Override
        public synchronized List<String> put(List<Entry> entries) {
            List<String> out = new ArrayList<>();
            for (Entry e : entries) {
                if (refuseNext > 0) {
                    refuseNext--;
                    out.add("ProvisionedThroughputExceededException after retries");
                } else {
                    taken.add(e);
                    out.add(null);
                }
            }
            return out;
        }
    }

    /** One second per reading: jobs get distinct creation times. */
    protected static final class TickingClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    protected RecordingStream stream;
    protected TickingClock clock;
    protected OpsApiHandler handler;

    /** A fresh, empty store for each test. */
    protected abstract EpcisRepository repository();

    @BeforeEach
    void wire() {
        stream = new RecordingStream();
        clock = new TickingClock();
        handler = new OpsApiHandler(new OpsApi(List.of(new EpcisRoutes(repository(), stream, clock))));
    }

    // ---- capture of GS1's examples, queried back by each filter

    @Test
    void gs1ExamplesCapturedAreFoundByEachFilter() {
        captureAllExamples();
        assertThat(query(null)).containsExactlyElementsOf(ALL_IN_ORDER);
        assertThat(query("eventType=AggregationEvent")).containsExactly(C);
        assertThat(query("eventType=TransformationEvent%7CAggregationEvent")).containsExactly(C, D);
        assertThat(query("MATCH_epc=urn:epc:id:sgtin:0614141.107346.2018")).as("epcList and childEPCs")
                .containsExactly(G, A, B, C);
        assertThat(query("MATCH_epc=" + enc("https://id.gs1.org/01/10614141073464/21/2017")))
                .as("the Digital Link URI of sgtin 0614141.107346.2017 (GTIN check digit worked by hand: 4)")
                .containsExactly(G, A, C);
        assertThat(query("MATCH_epc=urn:epc:id:sscc:0614141.1234567890")).as("MATCH_epc ignores parentID (GS1)")
                .isEmpty();
        assertThat(query("MATCH_anyEPC=urn:epc:id:sscc:0614141.1234567890")).containsExactly(C);
        assertThat(query("MATCH_anyEPC=urn:epc:id:sgtin:4012345.077889.26")).as("outputEPCList").containsExactly(D);
        assertThat(query("EQ_bizStep=shipping")).containsExactly(G, A);
        assertThat(query("EQ_bizStep=" + enc("https://ref.gs1.org/cbv/BizStep-receiving"))).containsExactly(B, C);
        assertThat(query("EQ_bizStep=inspecting%7Ccommissioning")).containsExactly(D, F, E);
        assertThat(query("EQ_bizLocation=urn:epc:id:sgln:0012345.11111.0")).containsExactly(B);
        assertThat(query("GE_eventTime=2013-01-01T00:00:00Z&LT_eventTime=2019-04-02T14:00:00Z"))
                .as("LT is exclusive: E and F at 14:00Z are out").containsExactly(C, D);
        assertThat(query("GE_eventTime=" + enc("2019-04-02T15:00:00+01:00"))).as("GE is inclusive, offsets honoured")
                .containsExactly(F, E);
        assertThat(query("LT_eventTime=2005-04-05T00:00:00Z")).containsExactly(G, A);
        assertThat(query("EQ_bizStep=receiving&GE_eventTime=2010-01-01T00:00:00Z")).containsExactly(C);
        assertThat(query("MATCH_epc=urn:epc:id:sgtin:0614141.107346.2018&eventType=ObjectEvent&EQ_bizStep=receiving"))
                .containsExactly(B);
    }

    @Test
    void aReCaptureInsideADocumentIsReportedInTheJob() {
        Reply first = capture("Example_9.6.1-ObjectEvent.jsonld", null);
        JsonNode job = job(first);
        assertThat(job.get("success").asBoolean()).isTrue();
        assertThat(job.get("running").asBoolean()).isFalse();
        assertThat(job.get("captureErrorBehaviour").asText()).isEqualTo("rollback");

        // rollback (GS1's default): B is known, so neither event of the document is captured
        JsonNode rolledBack = job(capture("Example_9.6.1-ObjectEvent-with-error-declaration.jsonld", null));
        assertThat(rolledBack.get("success").asBoolean()).isFalse();
        assertThat(rolledBack.get("errors")).hasSize(1);
        assertThat(rolledBack.get("errors").get(0).get("detail").asText()).contains("eventList[1]").contains(B);
        assertThat(query(null)).containsExactly(A, B);

        // proceed: G is captured, B reported
        JsonNode proceeded = job(capture("Example_9.6.1-ObjectEvent-with-error-declaration.jsonld", "proceed"));
        assertThat(proceeded.get("success").asBoolean()).isFalse();
        assertThat(proceeded.get("captureErrorBehaviour").asText()).isEqualTo("proceed");
        assertThat(proceeded.get("errors")).hasSize(1);
        assertThat(proceeded.get("errors").get(0).get("type").asText())
                .isEqualTo("epcisException:ResourceAlreadyExistsException");
        assertThat(query(null)).containsExactly(G, A, B);
        assertThat(stream.taken).as("one record per captured event, none for the re-capture").hasSize(3);

        Reply list = call("GET", "/epcis/capture", null, PARTNER_TOKEN, Map.of(), null);
        assertThat(list.expect(200)).hasSize(3);
        assertThat(list.body().get(0).get("captureID").asText()).as("newest first")
                .isEqualTo(proceeded.get("captureID").asText());
    }

    // ---- pagination

    @Test
    void pagesWalkEveryEventExactlyOnceInOrder() {
        captureAllExamples();
        for (int perPage : new int[]{1, 2, 3, 6, 7, 40}) {
            List<String> walked = new ArrayList<>();
            String query = "perPage=" + perPage;
            int pages = 0;
            while (query != null) {
                Reply r = call("GET", "/epcis/events", query, PARTNER_TOKEN, Map.of(), null);
                List<String> ids = ids(r.expect(200));
                assertThat(ids.size()).isLessThanOrEqualTo(perPage);
                walked.addAll(ids);
                pages++;
                String link = r.header("Link");
                query = link == null ? null : nextQuery(link);
            }
            assertThat(walked).as("perPage " + perPage).containsExactlyElementsOf(ALL_IN_ORDER);
            assertThat(pages).as("perPage " + perPage).isEqualTo((ALL_IN_ORDER.size() + perPage - 1) / perPage);
        }
        // a filtered walk: the four events of one EPC, two per page
        List<String> walked = new ArrayList<>();
        String query = "MATCH_epc=urn:epc:id:sgtin:0614141.107346.2018&perPage=2";
        while (query != null) {
            Reply r = call("GET", "/epcis/events", query, PARTNER_TOKEN, Map.of(), null);
            walked.addAll(ids(r.expect(200)));
            query = r.header("Link") == null ? null : nextQuery(r.header("Link"));
        }
        assertThat(walked).containsExactly(G, A, B, C);
    }

    @Test
    void aTamperedOrForeignPageTokenIsRefused() {
        captureAllExamples();
        Reply first = call("GET", "/epcis/events", "perPage=2", PARTNER_TOKEN, Map.of(), null);
        String token = tokenOf(nextQuery(first.header("Link")));
        String tampered = token.substring(0, token.length() - 3) + (token.endsWith("A") ? "BBB" : "AAA");
        assertQueryProblem(call("GET", "/epcis/events", "perPage=2&nextPageToken=" + enc(tampered), PARTNER_TOKEN,
                Map.of(), null), "nextPageToken");
        assertQueryProblem(call("GET", "/epcis/events", "perPage=2&nextPageToken=not-a-token!", PARTNER_TOKEN,
                Map.of(), null), "nextPageToken");
        assertQueryProblem(call("GET", "/epcis/events", "EQ_bizStep=shipping&perPage=2&nextPageToken=" + enc(token),
                PARTNER_TOKEN, Map.of(), null), "nextPageToken");
    }

    // ---- POST /events: 201, 409, corrections, concurrency

    @Test
    void oneEventIsCreatedOnceThenAConflict() {
        String event = single("Example_9.6.1-ObjectEvent.jsonld", 0);
        Reply created = postEvent(event);
        created.expect(201);
        assertThat(created.header("Location")).isEqualTo("/epcis/events/" + enc(A).replace("+", "%20"));
        Reply again = postEvent(event);
        assertThat(again.expect(409).get("type").asText()).isEqualTo("epcisException:ResourceAlreadyExistsException");
        assertThat(again.header("GS1-EPCIS-Version")).isEqualTo("2.0.0");
        Reply read = call("GET", created.header("Location"), null, PARTNER_TOKEN, Map.of(), null);
        assertThat(ids(read.expect(200))).containsExactly(A);
        assertThat(stream.taken).hasSize(1);
    }

    @Test
    void anEventWithoutIdIsKnownByItsCbvHash() throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(single("Example_9.6.1-ObjectEvent.jsonld", 0));
        event.remove("eventID");
        Reply created = postEvent(JSON.writeValueAsString(event));
        created.expect(201);
        String key = URLDecoder.decode(created.header("Location").substring("/epcis/events/".length()),
                StandardCharsets.UTF_8);
        assertThat(key).startsWith("ni:///sha-256;").endsWith("?ver=CBV2.0");
        // the same event with its fields in another order and another time-zone spelling of the same instant
        ObjectNode reordered = JSON.createObjectNode();
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        names.forEach(n -> reordered.set(n, event.get(n)));
        reordered.put("eventTime", "2005-04-04T02:33:31.116Z");
        postEvent(JSON.writeValueAsString(reordered)).expect(409);
        JsonNode read = call("GET", created.header("Location"), null, PARTNER_TOKEN, Map.of(), null).expect(200);
        assertThat(read.path("epcisBody").path("queryResults").path("resultsBody").path("eventList").get(0)
                .get("eventTime").asText()).isEqualTo("2005-04-03T20:33:31.116000-06:00");
    }

    @Test
    void anErrorDeclarationForACapturedEventIsACorrection() throws IOException {
        String plain = single("Example_9.6.1-ObjectEvent.jsonld", 0);
        postEvent(plain).expect(201);
        ObjectNode corrected = (ObjectNode) JSON.readTree(plain);
        corrected.set("errorDeclaration", JSON.readTree(single("Example_9.6.1-ObjectEvent-with-error-declaration.jsonld",
                0)).get("errorDeclaration"));
        Reply r = postEvent(JSON.writeValueAsString(corrected));
        r.expect(201);
        JsonNode stored = call("GET", "/epcis/events/" + enc(A), null, PARTNER_TOKEN, Map.of(), null).expect(200)
                .path("epcisBody").path("queryResults").path("resultsBody").path("eventList").get(0);
        assertThat(stored.get("errorDeclaration").get("reason").asText()).isEqualTo("incorrect_data");
        postEvent(JSON.writeValueAsString(corrected)).expect(409);
        assertThat(stream.taken).as("the capture and the correction").hasSize(2);
        assertThat(query(null)).containsExactly(A);
    }

    @Test
    void twoConcurrentCapturesOfOneEventGiveOneCreatedAndOneConflict() throws Exception {
        String event = single("Example_9.6.3-AggregationEvent.jsonld", 0);
        for (int round = 0; round < 5; round++) {
            wire();
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    statuses.add(pool.submit(() -> {
                        start.await();
                        return postEvent(event).status();
                    }));
                }
                List<Integer> got = new ArrayList<>();
                for (var f : statuses) {
                    got.add(f.get());
                }
                assertThat(got).as("round " + round).containsExactlyInAnyOrder(201, 409);
                assertThat(stream.taken).as("round " + round).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
            cleanUp();
        }
    }

    /** Called between the rounds of the concurrency test: a fresh store. */
    protected void cleanUp() {
    }

    // ---- what goes on the ingest stream

    @Test
    void eachAcceptedEventIsForwardedAsARawRecordOfItsPartner() throws IOException {
        captureAllExamples();
        assertThat(stream.taken).hasSize(7);
        Map<String, JsonNode> originals = new HashMap<>();
        for (String file : List.of("Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld",
                "Example_9.6.4-TransformationEvent.jsonld", "SensorDataExample1.jsonld", "SensorDataExample2.jsonld",
                "Example_9.6.1-ObjectEvent-with-error-declaration.jsonld")) {
            JSON.readTree(example(file)).path("epcisBody").path("eventList")
                    .forEach(e -> originals.put(e.get("eventID").asText(), e));
        }
        Map<String, String> firstEpc = Map.of(A, "urn:epc:id:sgtin:0614141.107346.2017",
                B, "urn:epc:id:sgtin:0614141.107346.2018", C, "urn:epc:id:sgtin:0614141.107346.2017",
                D, "urn:epc:id:sgtin:4012345.011122.25", E, "urn:epc:id:sgtin:4012345.011111.9876",
                F, "urn:epc:id:sgtin:4012345.011111.9876", G, "urn:epc:id:sgtin:0614141.107346.2017");
        Set<String> seen = new java.util.HashSet<>();
        for (StreamRedrive.Entry entry : stream.taken) {
            ObjectNode raw = (ObjectNode) JSON.readTree(entry.data());
            String id = raw.get("eventID").asText();
            assertThat(seen.add(id)).as("forwarded once: " + id).isTrue();
            assertThat(raw.get("wb_route").asText()).isEqualTo("epcis/" + PARTNER);
            assertThat(raw.get("wb_received_ms").isIntegralNumber()).isTrue();
            assertThat(raw.get("wb_received_ms").asLong()).isGreaterThan(Instant.parse("2026-12-07T08:00:00Z")
                    .toEpochMilli());
            assertThat(entry.partitionKey()).as(id).isEqualTo(firstEpc.get(id));
            raw.remove("wb_route");
            raw.remove("wb_received_ms");
            assertThat(raw).as("the event as in eventList").isEqualTo(originals.get(id));
        }
    }

    @Test
    void anEventTheStreamRefusesIsNotCapturedAndARetrySucceeds() {
        String event = single("SensorDataExample1.jsonld", 0);
        stream.refuseNext = 1;
        Reply refused = postEvent(event);
        assertThat(refused.expect(503).get("type").asText()).isEqualTo("epcisException:ImplementationException");
        assertThat(call("GET", "/epcis/events/" + enc(E), null, PARTNER_TOKEN, Map.of(), null).status())
                .isEqualTo(404);
        postEvent(event).expect(201);
        assertThat(query(null)).containsExactly(E);

        stream.refuseNext = 1;
        JsonNode job = job(capture("Example_9.6.1-ObjectEvent.jsonld", "proceed"));
        assertThat(job.get("success").asBoolean()).isFalse();
        assertThat(job.get("errors")).hasSize(1);
        assertThat(job.get("errors").get(0).get("detail").asText()).contains("eventList[0]").contains("stream");
        assertThat(query(null)).as("A refused, B captured").containsExactly(B, E);
        job(capture("Example_9.6.1-ObjectEvent.jsonld", "proceed"));
        assertThat(query(null)).as("the retry captures A; B is reported").containsExactly(A, B, E);
    }

    // ---- refusals

    @Test
    void theCallerIsThePartnerAndMustFitTheRoute() {
        Map<String, String> email = Map.of("sub", "u-1", "email", "ops@acme.example", "scope", "ops.read ops.write");
        Reply r = call("POST", "/epcis/events", null, email, Map.of("Content-Type", "application/ld+json"),
                single("SensorDataExample1.jsonld", 0));
        assertThat(r.expect(403).get("type").asText()).isEqualTo("epcisException:SecurityException");
        Reply reader = call("POST", "/epcis/capture", null, ContractCheckedCalls.READER,
                Map.of("Content-Type", "application/ld+json"), example("SensorDataExample1.jsonld"));
        assertThat(reader.expect(403).get("type").asText()).isEqualTo("epcisException:SecurityException");
        assertThat(stream.taken).isEmpty();
    }

    @Test
    void requestsGs1RefusesAreRefusedAsGs1Says() throws IOException {
        Reply version = call("GET", "/epcis/events", null, PARTNER_TOKEN, Map.of("GS1-EPCIS-Version", "1.2"), null);
        assertThat(version.expect(406).get("type").asText()).isEqualTo("epcisException:NotAcceptableException");
        Reply unknown = call("GET", "/epcis/events", "EQ_action=ADD", PARTNER_TOKEN, Map.of(), null);
        assertThat(unknown.expect(400).get("type").asText()).isEqualTo("epcisException:QueryParameterException");
        Reply badTime = call("GET", "/epcis/events", "GE_eventTime=yesterday", PARTNER_TOKEN, Map.of(), null);
        assertThat(badTime.expect(400).get("type").asText()).isEqualTo("epcisException:QueryParameterException");

        ObjectNode doc = (ObjectNode) JSON.readTree(example("SensorDataExample1.jsonld"));
        ((ObjectNode) doc.path("epcisBody").path("eventList").get(0)).put("eventTime", "noon");
        Reply invalid = call("POST", "/epcis/capture", null, PARTNER_TOKEN, Map.of("Content-Type",
                "application/ld+json"), JSON.writeValueAsString(doc));
        assertThat(invalid.expect(400).get("type").asText()).isEqualTo("epcisException:ValidationException");

        ObjectNode many = (ObjectNode) JSON.readTree(example("SensorDataExample1.jsonld"));
        ArrayNode list = (ArrayNode) many.path("epcisBody").path("eventList");
        JsonNode one = list.get(0);
        for (int i = 0; i < EpcisRoutes.MAX_CAPTURE_EVENTS; i++) {
            list.add(one.deepCopy());
        }
        Reply tooMany = call("POST", "/epcis/capture", null, PARTNER_TOKEN, Map.of("Content-Type",
                "application/ld+json"), JSON.writeValueAsString(many));
        assertThat(tooMany.expect(413).get("type").asText()).isEqualTo("epcisException:CaptureLimitExceededException");
        assertThat(tooMany.header("GS1-EPCIS-Capture-Limit")).isEqualTo("100");

        Reply xml = call("POST", "/epcis/capture", null, PARTNER_TOKEN, Map.of("Content-Type", "application/xml"),
                "<epcis/>");
        assertThat(xml.expect(415).get("type").asText()).isEqualTo("epcisException:UnsupportedMediaTypeException");
        Reply otherJob = call("GET", "/epcis/capture/c0000", null, PARTNER_TOKEN, Map.of(), null);
        assertThat(otherJob.expect(404).get("type").asText()).isEqualTo("epcisException:NoSuchNameException");
        assertThat(stream.taken).isEmpty();
    }

    // ---- helpers

    protected void captureAllExamples() {
        for (String file : List.of("Example_9.6.1-ObjectEvent.jsonld", "Example_9.6.3-AggregationEvent.jsonld",
                "Example_9.6.4-TransformationEvent.jsonld", "SensorDataExample1.jsonld", "SensorDataExample2.jsonld")) {
            JsonNode job = job(capture(file, null));
            assertThat(job.get("success").asBoolean()).as(file + ": " + job).isTrue();
        }
        JsonNode last = job(capture("Example_9.6.1-ObjectEvent-with-error-declaration.jsonld", "proceed"));
        assertThat(last.get("errors")).as("B again").hasSize(1);
    }

    protected Reply capture(String file, String behaviour) {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/ld+json"));
        if (behaviour != null) {
            headers.put("GS1-Capture-Error-Behaviour", behaviour);
        }
        Reply r = call("POST", "/epcis/capture", null, PARTNER_TOKEN, headers, example(file));
        r.expect(202);
        assertThat(r.header("Location")).startsWith("/epcis/capture/");
        return r;
    }

    protected JsonNode job(Reply captured) {
        return call("GET", captured.header("Location"), null, PARTNER_TOKEN, Map.of(), null).expect(200);
    }

    protected Reply postEvent(String event) {
        return call("POST", "/epcis/events", null, PARTNER_TOKEN, Map.of("Content-Type", "application/ld+json"),
                event);
    }

    protected List<String> query(String query) {
        return ids(call("GET", "/epcis/events", query, PARTNER_TOKEN, Map.of(), null).expect(200));
    }

    protected static List<String> ids(JsonNode queryDocument) {
        List<String> out = new ArrayList<>();
        queryDocument.path("epcisBody").path("queryResults").path("resultsBody").path("eventList")
                .forEach(e -> out.add(e.get("eventID").asText()));
        return out;
    }

    /** Calls through the handler; the response must satisfy Waybill's contract and GS1's REST binding. */
    protected Reply call(String method, String path, String query, Map<String, String> claims,
                         Map<String, String> headers, String body) {
        Reply r = ContractCheckedCalls.call(handler, method, path, query, claims, null, headers, body);
        String gs1Path = path.substring("/epcis".length()).replaceAll("^/capture/.+", "/capture/{captureID}")
                .replaceAll("^/events/.+", "/events/{eventID}");
        ApiResponse response = new ApiResponse(r.status(), r.headers(), r.text());
        assertThat(Gs1RestBinding.violations(method, gs1Path, response)).as("GS1: " + method + " " + path + " -> "
                + r.status() + " " + r.text()).isEmpty();
        assertThat(r.header("GS1-EPCIS-Version")).as(method + " " + path).isEqualTo("2.0.0");
        return r;
    }

    private static void assertQueryProblem(Reply r, String word) {
        assertThat(r.expect(400).get("type").asText()).isEqualTo("epcisException:QueryParameterException");
        assertThat(r.body().get("detail").asText()).contains(word);
    }

    private static String nextQuery(String link) {
        Matcher m = NEXT.matcher(link);
        assertThat(m.matches()).as(link).isTrue();
        String url = m.group(1);
        assertThat(url).startsWith("/epcis/events?");
        return url.substring(url.indexOf('?') + 1);
    }

    private static String tokenOf(String query) {
        for (String p : query.split("&")) {
            if (p.startsWith("nextPageToken=")) {
                return URLDecoder.decode(p.substring("nextPageToken=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no token in " + query);
    }

    protected static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** One event of a GS1 example, with the document's @context (an event posted alone carries its own). */
    protected static String single(String file, int index) {
        try {
            JsonNode doc = JSON.readTree(example(file));
            ObjectNode e = JSON.createObjectNode();
            e.set("@context", doc.get("@context"));
            doc.path("epcisBody").path("eventList").get(index).properties().forEach(p -> e.set(p.getKey(),
                    p.getValue()));
            return JSON.writeValueAsString(e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    protected static String example(String file) {
        try (InputStream in = EpcisCaptureAndQueryScenario.class.getClassLoader()
                .getResourceAsStream("epcis/gs1/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource epcis/gs1/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
