package io.waybill.opsapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.epcis.CaptureJob;
import io.waybill.domain.epcis.CapturedEvent;
import io.waybill.domain.epcis.EpcisEventIndex;
import io.waybill.domain.epcis.EpcisQuery;
import io.waybill.domain.epcis.EpcisRepository;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RecordNormalizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Part of GS1's EPCIS 2.0 REST binding (issue 16) under {@code /epcis}: the capture interface ({@code POST /capture}
 * with a document, {@code POST /events} with one event, capture jobs) and the query interface ({@code GET /events}
 * with the SimpleEventQuery parameters below, {@code GET /events/{eventID}}). Every response carries
 * {@code GS1-EPCIS-Version: 2.0.0}; refusals are GS1's problems ({@code epcisException:...}).
 *
 * <ul>
 *   <li>The capturing partner is the authenticated caller ({@link Caller#actor()}, scope {@value Caller#WRITE}), never
 *       a field of the document; it must be a valid {@code wb_route} producer id ({@value #PARTNER_ID}), else 403.</li>
 *   <li>Captures are processed within the request (API Gateway answers within 29 s): at most
 *       {@value #MAX_CAPTURE_EVENTS} events and {@value #MAX_CAPTURE_BYTES} bytes per document (413), each event's
 *       forwarded record at most the normaliser's {@code NormalizerConfig.DEFAULT_MAX_RECORD_BYTES}; the job is
 *       stored finished ({@code running: false}).</li>
 *   <li>An event's identity is its {@code eventID}, else its CBV 2.0 event hash. A second capture of it is a 409
 *       (in a document: an error of the job), unless it carries an {@code errorDeclaration} (a correction by the
 *       partner who captured it: accepted, the stored event then carries the declaration).</li>
 *   <li>Each accepted event (new or corrected) is put on the ingest stream as a raw record: the event object plus
 *       {@code wb_route = epcis/<partner>} and {@code wb_received_ms}; partition key its first EPC, else its key. An
 *       event the stream refuses is not stored (a retry of the capture succeeds) and is reported.</li>
 *   <li>Queries: {@code eventType}, {@code GE_eventTime}, {@code LT_eventTime}, {@code MATCH_epc} ({@code epcList},
 *       {@code childEPCs}), {@code MATCH_anyEPC} (also {@code parentID}, input and output lists), {@code EQ_bizStep},
 *       {@code EQ_bizLocation}, lists pipe-delimited as GS1 specifies; {@code perPage} (default
 *       {@value #DEFAULT_PER_PAGE}, GS1's, at most {@value #MAX_PER_PAGE}) and {@code nextPageToken} with a
 *       {@code Link: rel="next"} header. Any other parameter is a 400 {@code QueryParameterException}.</li>
 * </ul>
 */
public final class EpcisRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    public static final String ROOT = "epcis";
    /** The EPCIS version served (response header {@value #VERSION_HEADER}). */
    public static final String VERSION = "2.0.0";
    public static final String VERSION_HEADER = "GS1-EPCIS-Version";
    /** Events per captured document at most (each costs a few store and stream calls within the request). */
    public static final int MAX_CAPTURE_EVENTS = 100;
    /** Bytes of a captured document (or event) at most: 1 MiB. */
    public static final int MAX_CAPTURE_BYTES = 1024 * 1024;
    /** GS1's default {@code perPage}. */
    public static final int DEFAULT_PER_PAGE = 30;
    /** The largest {@code perPage}: 40 events of the largest accepted size stay under Lambda's 6 MB response. */
    public static final int MAX_PER_PAGE = 40;
    /** Jobs {@code GET /epcis/capture} lists, newest first. */
    public static final int JOBS_LISTED = 50;
    /** The characters of a partner id ({@code wb_route}'s producer id). */
    public static final String PARTNER_ID = "[A-Za-z0-9._:-]{1,200}";
    /** The adapter segment of the forwarded records' {@code wb_route}. */
    public static final String ROUTE_ADAPTER = "epcis";
    /** The JSON-LD context of the documents Waybill answers with. */
    public static final String CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
    static final Set<String> QUERY_PARAMETERS = Set.of("eventType", "GE_eventTime", "LT_eventTime", "MATCH_epc",
            "MATCH_anyEPC", "EQ_bizStep", "EQ_bizLocation", "perPage", "nextPageToken");
    private static final Set<String> EVENT_TYPES = Set.of("ObjectEvent", "AggregationEvent", "TransactionEvent",
            "TransformationEvent", "AssociationEvent");
    private static final Pattern PARTNER = Pattern.compile(PARTNER_ID);
    private static final int MAX_PARAMETER = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(EpcisRoutes.class);

    private final EpcisRepository repository;
    private final StreamRedrive stream;
    private final Clock clock;

    /**
     * @param repository the captured events and jobs; null only for {@link #off()}
     * @param stream     the ingest stream accepted events are forwarded to; null only for {@link #off()}
     */
    public EpcisRoutes(EpcisRepository repository, StreamRedrive stream, Clock clock) {
        this.repository = repository;
        this.stream = stream;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (repository != null || stream != null) {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(stream, "stream");
        }
    }

    /** The routes of a stage without an EPCIS table: every request is a 501 (not implemented here). */
    public static EpcisRoutes off() {
        return new EpcisRoutes(null, null, Clock.systemUTC());
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        try {
            ApiResponse r = dispatch(call);
            if (r == null) {
                return null;
            }
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.put(VERSION_HEADER, VERSION);
            return new ApiResponse(r.status(), h, r.body());
        } catch (Epcis e) {
            return e.response();
        } catch (Problem p) {
            boolean query = call.request().method().equals("GET");
            return switch (p.status()) {
                case 400 -> new Epcis(400, query ? "QueryParameterException" : "ValidationException",
                        "Invalid request", p.getMessage()).response();
                case 401, 403 -> new Epcis(p.status(), "SecurityException", p.status() == 401 ? "Unauthorised request"
                        : "Access to resource forbidden", p.getMessage()).response();
                case 404 -> new Epcis(404, "NoSuchNameException", "Resource not found", p.getMessage()).response();
                default -> withVersion(p.toResponse(call.request().rawPath()));
            };
        } catch (TransientDependencyException e) {
            LOG.warn("EPCIS dependency did not answer: {}", e.getMessage());
            return new Epcis(503, "ImplementationException", "Service unavailable", e.dependency()
                    + " did not answer; retry later", Map.of("Retry-After", "1")).response();
        }
    }

    private ApiResponse dispatch(Call call) {
        if (call.size() < 2 || call.size() > 3) {
            return null;
        }
        String resource = call.segment(1);
        if (!resource.equals("capture") && !resource.equals("events")) {
            return null;
        }
        versionAccepted(call.request());
        String method = call.request().method();
        if (call.size() == 2 && resource.equals("capture")) {
            if (method.equals("POST")) {
                call.allow("POST", Caller.WRITE);
                requireOn();
                return capture(call);
            }
            call.allow("GET", Caller.READ);
            requireOn();
            return jobs(call);
        }
        if (call.size() == 3 && resource.equals("capture")) {
            call.allow("GET", Caller.READ);
            String id = call.decoded(2, "captureID");
            requireOn();
            return job(call, id);
        }
        if (call.size() == 2) {
            if (method.equals("POST")) {
                call.allow("POST", Caller.WRITE);
                requireOn();
                return captureEvent(call);
            }
            call.allow("GET", Caller.READ);
            requireOn();
            return query(call);
        }
        call.allow("GET", Caller.READ);
        String key = call.decoded(2, "eventID");
        requireOn();
        return oneEvent(call, key);
    }

    // ---- POST /epcis/capture

    private ApiResponse capture(Call call) {
        String partner = partner(call.caller());
        String behaviour = errorBehaviour(call.request());
        String body = body(call.request());
        JsonNode doc = parse(body);
        if (!"EPCISDocument".equals(doc.path("type").asText())) {
            throw new Epcis(400, "ValidationException", "Not an EPCIS document", "the body's type must be "
                    + "EPCISDocument");
        }
        schemaValid(body);
        JsonNode list = doc.path("epcisBody").path("eventList");
        if (list.size() > MAX_CAPTURE_EVENTS) {
            throw tooLarge("the document holds " + list.size() + " events; at most " + MAX_CAPTURE_EVENTS
                    + " per capture");
        }
        Instant createdAt = clock.instant();
        List<JsonNode> events = new ArrayList<>();
        list.forEach(events::add);
        List<CaptureJob.CaptureError> errors = new ArrayList<>();
        // Checks before any write: duplicates within the document, events already captured, oversized records.
        Set<String> seen = new HashSet<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String key = CapturedEvent.keyOf(events.get(i));
            keys.add(key);
            if (!seen.add(key)) {
                errors.add(new CaptureJob.CaptureError(i, key, "duplicate-in-document", "eventList[" + i + "] ("
                        + key + ") repeats an earlier event of this document"));
            } else if (record(events.get(i), partner, createdAt).length > NormalizerConfig.DEFAULT_MAX_RECORD_BYTES) {
                errors.add(new CaptureJob.CaptureError(i, key, "too-large", "eventList[" + i + "] (" + key
                        + ") is larger than " + NormalizerConfig.DEFAULT_MAX_RECORD_BYTES + " bytes"));
            } else {
                Optional<CapturedEvent> known = repository.event(key);
                if (known.isPresent() && !isCorrection(known.get(), events.get(i), partner)) {
                    errors.add(alreadyCaptured(i, key));
                }
            }
        }
        Set<Integer> refused = new HashSet<>();
        errors.forEach(e -> refused.add(e.index()));
        int captured = 0;
        boolean rollback = behaviour.equals(CaptureJob.ROLLBACK);
        if (!rollback || errors.isEmpty()) {
            for (int i = 0; i < events.size(); i++) {
                if (refused.contains(i)) {
                    continue;
                }
                Outcome o = captureOne(events.get(i), keys.get(i), partner, createdAt);
                if (o.accepted()) {
                    captured++;
                    continue;
                }
                errors.add(o.kind == Kind.ALREADY_CAPTURED ? alreadyCaptured(i, keys.get(i))
                        : new CaptureJob.CaptureError(i, keys.get(i), "stream-refused", "eventList[" + i + "] ("
                        + keys.get(i) + ") was not captured: the ingest stream refused it (" + o.detail
                        + "); capture it again"));
                if (rollback) { // what was forwarded before stays captured: a stream record cannot be withdrawn
                    for (int j = i + 1; j < events.size(); j++) {
                        errors.add(new CaptureJob.CaptureError(j, keys.get(j), "not-captured", "eventList[" + j
                                + "] was not captured: the capture stopped at eventList[" + i + "]"));
                    }
                    break;
                }
            }
        }
        CaptureJob job = new CaptureJob(captureId(), partner, createdAt, clock.instant(), behaviour, captured, errors);
        repository.saveJob(job);
        LOG.info("EPCIS capture {} by {}: {} events, {} captured, {} errors ({})", job.captureId(), partner,
                events.size(), captured, errors.size(), behaviour);
        return new ApiResponse(202, Map.of("Cache-Control", "no-store",
                "Location", "/" + ROOT + "/capture/" + job.captureId(),
                "GS1-EPCIS-Capture-Limit", String.valueOf(MAX_CAPTURE_EVENTS),
                "GS1-EPCIS-Capture-File-Size-Limit", String.valueOf(MAX_CAPTURE_BYTES)), "");
    }

    private static CaptureJob.CaptureError alreadyCaptured(int i, String key) {
        return new CaptureJob.CaptureError(i, key, "already-captured", "eventList[" + i + "] (" + key
                + ") was captured before; only an event with an errorDeclaration may be captured again");
    }

    // ---- POST /epcis/events

    private ApiResponse captureEvent(Call call) {
        String partner = partner(call.caller());
        String body = body(call.request());
        JsonNode event = parse(body);
        if (!EVENT_TYPES.contains(event.path("type").asText())) {
            throw new Epcis(400, "ValidationException", "Not an EPCIS event", "the body's type must be one of "
                    + new java.util.TreeSet<>(EVENT_TYPES));
        }
        schemaValid(body);
        Instant now = clock.instant();
        if (record(event, partner, now).length > NormalizerConfig.DEFAULT_MAX_RECORD_BYTES) {
            throw tooLarge("the event is larger than " + NormalizerConfig.DEFAULT_MAX_RECORD_BYTES + " bytes");
        }
        String key = CapturedEvent.keyOf(event);
        Outcome o = captureOne(event, key, partner, now);
        return switch (o.kind) {
            case CAPTURED, CORRECTED -> {
                LOG.info("EPCIS event {} {} by {}", key, o.kind == Kind.CAPTURED ? "captured" : "corrected", partner);
                yield ApiResponse.json(201, Json.write(event), Map.of("Location", eventLocation(key)));
            }
            case ALREADY_CAPTURED -> throw new Epcis(409, "ResourceAlreadyExistsException",
                    "A resource with the provided identifier already exists.", "event " + key + " was captured "
                    + "before; only an event with an errorDeclaration may be captured again");
            case STREAM_REFUSED -> throw new Epcis(503, "ImplementationException", "Service unavailable",
                    "the ingest stream refused the event (" + o.detail + "); nothing was stored, capture it again",
                    Map.of("Retry-After", "1"));
        };
    }

    // ---- capture of one event

    private enum Kind { CAPTURED, CORRECTED, ALREADY_CAPTURED, STREAM_REFUSED }

    private record Outcome(Kind kind, String detail) {
        boolean accepted() {
            return kind == Kind.CAPTURED || kind == Kind.CORRECTED;
        }
    }

    /**
     * Stores the event (conditionally: of two concurrent captures one wins), then forwards it; an event the stream
     * refuses is removed again (a correction: the stored event stays as it was).
     */
    private Outcome captureOne(JsonNode event, String key, String partner, Instant now) {
        CapturedEvent captured = new CapturedEvent(key, event, partner, now);
        Optional<CapturedEvent> known = repository.event(key);
        if (known.isPresent()) {
            if (!isCorrection(known.get(), event, partner)) {
                return new Outcome(Kind.ALREADY_CAPTURED, null);
            }
            String refused = forward(event, key, partner, now);
            if (refused != null) {
                return new Outcome(Kind.STREAM_REFUSED, refused);
            }
            repository.correct(new CapturedEvent(key, event, known.get().capturedBy(), now));
            return new Outcome(Kind.CORRECTED, null);
        }
        if (!repository.add(captured)) {
            return new Outcome(Kind.ALREADY_CAPTURED, null);
        }
        String refused = forward(event, key, partner, now);
        if (refused != null) {
            repository.remove(key);
            return new Outcome(Kind.STREAM_REFUSED, refused);
        }
        return new Outcome(Kind.CAPTURED, null);
    }

    /** A correction: the same partner captures the event again with an error declaration it did not carry. */
    private static boolean isCorrection(CapturedEvent known, JsonNode event, String partner) {
        return CapturedEvent.declaresError(event) && known.capturedBy().equals(partner)
                && !known.event().equals(event);
    }

    /** @return null when the stream took the record, else why not */
    private String forward(JsonNode event, String key, String partner, Instant now) {
        try {
            List<String> r = stream.put(List.of(new StreamRedrive.Entry(partitionKey(event, key),
                    record(event, partner, now))));
            return r.isEmpty() ? "no answer" : r.get(0);
        } catch (TransientDependencyException e) {
            LOG.warn("ingest stream did not answer for EPCIS event {}: {}", key, e.getMessage());
            return e.getMessage();
        }
    }

    /** The raw record: the event object with the routing fields the partner gateway sets (overwriting any). */
    static byte[] record(JsonNode event, String partner, Instant now) {
        ObjectNode raw = event.deepCopy();
        raw.put(RecordNormalizer.ROUTE_FIELD, ROUTE_ADAPTER + "/" + partner);
        raw.put(RecordNormalizer.RECEIVED_FIELD, now.toEpochMilli());
        return Json.write(raw).getBytes(StandardCharsets.UTF_8);
    }

    /** The event's first EPC in document order, else its key; at most Kinesis's 256 characters. */
    static String partitionKey(JsonNode event, String key) {
        String first = null;
        for (String field : List.of("epcList", "childEPCs", "inputEPCList", "outputEPCList")) {
            JsonNode v = event.get(field);
            if (first == null && v != null && v.isArray() && v.size() > 0 && v.get(0).isTextual()) {
                first = v.get(0).asText();
            }
        }
        if (first == null && event.path("parentID").isTextual()) {
            first = event.get("parentID").asText();
        }
        String k = first == null || first.isBlank() ? key : first;
        return k.length() > 256 ? k.substring(0, 256) : k;
    }

    // ---- GET /epcis/capture, /epcis/capture/{captureID}

    private ApiResponse jobs(Call call) {
        for (String p : call.query().values().keySet()) {
            throw new Epcis(400, "QueryParameterException", "Unknown query parameter", p + ": GET /" + ROOT
                    + "/capture takes no parameters");
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        repository.jobs(call.caller().actor(), JOBS_LISTED).forEach(j -> a.add(jobJson(j)));
        return ApiResponse.json(200, Json.write(a), Map.of());
    }

    private ApiResponse job(Call call, String id) {
        Optional<CaptureJob> job = repository.job(id);
        if (job.isEmpty() || !job.get().capturedBy().equals(call.caller().actor())) {
            throw new Epcis(404, "NoSuchNameException", "Resource not found", "no capture job " + id
                    + " of this partner");
        }
        return ApiResponse.json(200, Json.write(jobJson(job.get())), Map.of());
    }

    static ObjectNode jobJson(CaptureJob j) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("captureID", j.captureId());
        n.put("createdAt", j.createdAt().toString());
        Json.instant(n, "finishedAt", j.finishedAt());
        n.put("running", false);
        n.put("success", j.success());
        n.put("captureErrorBehaviour", j.errorBehaviour());
        ArrayNode errors = n.putArray("errors");
        for (CaptureJob.CaptureError e : j.errors()) {
            ObjectNode p = errors.addObject();
            boolean conflict = e.kind().equals("already-captured") || e.kind().equals("duplicate-in-document");
            p.put("type", "epcisException:" + (conflict ? "ResourceAlreadyExistsException"
                    : e.kind().equals("too-large") ? "CaptureLimitExceededException" : "ImplementationException"));
            p.put("title", e.kind());
            p.put("status", conflict ? 409 : e.kind().equals("too-large") ? 413 : 503);
            p.put("detail", e.detail());
        }
        return n;
    }

    // ---- GET /epcis/events, /epcis/events/{eventID}

    private ApiResponse query(Call call) {
        Query q = call.query();
        for (String p : q.values().keySet()) {
            if (!QUERY_PARAMETERS.contains(p)) {
                throw new Epcis(400, "QueryParameterException", "Unknown query parameter", p + " is not a query "
                        + "parameter this server supports (supported: " + new java.util.TreeSet<>(QUERY_PARAMETERS)
                        + ")");
            }
        }
        EpcisQuery query = new EpcisQuery(list(q, "eventType"), time(q, "GE_eventTime"), time(q, "LT_eventTime"),
                list(q, "MATCH_epc"), list(q, "MATCH_anyEPC"), list(q, "EQ_bizStep"), list(q, "EQ_bizLocation"));
        Integer pp = q.integer("perPage", 1, MAX_PER_PAGE);
        int perPage = pp == null ? DEFAULT_PER_PAGE : pp;
        String token = q.text("nextPageToken", MAX_PARAMETER);
        EpcisRepository.EventPage page;
        try {
            page = repository.events(query, token, perPage);
        } catch (EpcisRepository.CursorRefused e) {
            throw new Epcis(400, "QueryParameterException", "Invalid page token", "nextPageToken: "
                    + e.getMessage());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (page.nextCursor() != null) {
            headers.put("Link", "<" + call.request().rawPath() + "?" + q.with("nextPageToken", page.nextCursor())
                    + ">; rel=\"next\"");
        }
        return ApiResponse.json(200, Json.write(queryDocument(page.events())), headers);
    }

    private ApiResponse oneEvent(Call call, String key) {
        if (!call.query().values().isEmpty()) {
            throw new Epcis(400, "QueryParameterException", "Unknown query parameter",
                    call.query().values().keySet().iterator().next() + ": this route takes no parameters");
        }
        Optional<CapturedEvent> e = repository.event(key);
        if (e.isEmpty()) {
            throw new Epcis(404, "NoSuchNameException", "Resource not found", "no event " + key);
        }
        return ApiResponse.json(200, Json.write(queryDocument(List.of(e.get()))), Map.of());
    }

    private ObjectNode queryDocument(List<CapturedEvent> events) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.putArray("@context").add(CONTEXT);
        d.put("type", "EPCISQueryDocument");
        d.put("schemaVersion", "2.0");
        d.put("creationDate", clock.instant().toString());
        ObjectNode results = d.putObject("epcisBody").putObject("queryResults");
        results.put("queryName", "SimpleEventQuery");
        ArrayNode list = results.putObject("resultsBody").putArray("eventList");
        for (CapturedEvent e : events) {
            ObjectNode o = e.event().deepCopy();
            o.remove("@context");
            o.put("recordTime", e.recordTime().toString());
            list.add(o);
        }
        return d;
    }

    private static Set<String> list(Query q, String name) {
        String v = q.text(name, MAX_PARAMETER);
        if (v == null) {
            return Set.of();
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String part : v.split("\\|", -1)) {
            if (part.isBlank()) {
                throw new Epcis(400, "QueryParameterException", "Invalid query parameter", name
                        + ": an empty value in the list (values are separated by |)");
            }
            out.add(part.strip());
        }
        return out;
    }

    private static Instant time(Query q, String name) {
        String v = q.text(name, 64);
        if (v == null) {
            return null;
        }
        try {
            return EpcisEventIndex.time(v);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new Epcis(400, "QueryParameterException", "Invalid query parameter", name
                    + ": an ISO 8601 date-time with an offset, e.g. 2022-06-30T00:15:47.000-05:00");
        }
    }

    // ---- shared

    private void requireOn() {
        if (repository == null) {
            throw new Epcis(501, "ImplementationException", "Functionality not supported by server",
                    "EPCIS capture and query are not configured in this stage");
        }
    }

    /** GS1: a request naming an EPCIS version the server does not serve is a 406. */
    private static void versionAccepted(ApiRequest request) {
        String v = request.header(VERSION_HEADER);
        if (v != null && !v.strip().equals(VERSION) && !v.strip().equals("2.0")) {
            throw new Epcis(406, "NotAcceptableException", "Conflicting request and response headers",
                    VERSION_HEADER + " " + v + " is not served; this server speaks EPCIS " + VERSION);
        }
    }

    private static String partner(Caller caller) {
        if (!PARTNER.matcher(caller.actor()).matches()) {
            throw new Epcis(403, "SecurityException", "Access to resource forbidden", "the caller '"
                    + caller.actor() + "' cannot capture: a partner id must match " + PARTNER_ID
                    + " (it becomes the producer of the records' wb_route)");
        }
        return caller.actor();
    }

    private static String errorBehaviour(ApiRequest request) {
        String v = request.header("GS1-Capture-Error-Behaviour");
        if (v == null) {
            return CaptureJob.ROLLBACK;
        }
        String b = v.strip().toLowerCase(Locale.ROOT);
        if (!b.equals(CaptureJob.ROLLBACK) && !b.equals(CaptureJob.PROCEED)) {
            throw new Epcis(400, "ValidationException", "Unsupported capture error behaviour",
                    "GS1-Capture-Error-Behaviour: rollback or proceed, was " + v);
        }
        return b;
    }

    private static String body(ApiRequest request) {
        String type = request.header("Content-Type");
        String media = type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (media != null && !media.equals("application/json") && !media.equals("application/ld+json")) {
            throw new Epcis(415, "UnsupportedMediaTypeException", "Unsupported Media Type", "the body must be "
                    + "application/json or application/ld+json, was " + type);
        }
        String body = request.body();
        if (body == null || body.isBlank()) {
            throw new Epcis(400, "ValidationException", "Empty body", "the body must be a JSON object");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_CAPTURE_BYTES) {
            throw tooLarge("the body is larger than " + MAX_CAPTURE_BYTES + " bytes");
        }
        return body;
    }

    private static JsonNode parse(String body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Epcis(400, "ValidationException", "Not JSON", "the body is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new Epcis(400, "ValidationException", "Not a JSON object", "the body must be a JSON object");
        }
        return n;
    }

    private static void schemaValid(String body) {
        List<String> violations = EpcisDocumentSchema.violations(body);
        if (!violations.isEmpty()) {
            throw new Epcis(400, "ValidationException", "Invalid against the EPCIS JSON Schema",
                    String.join("; ", violations));
        }
    }

    private static Epcis tooLarge(String detail) {
        return new Epcis(413, "CaptureLimitExceededException", "Capture Payload too large", detail,
                Map.of("GS1-EPCIS-Capture-Limit", String.valueOf(MAX_CAPTURE_EVENTS),
                        "GS1-EPCIS-Capture-File-Size-Limit", String.valueOf(MAX_CAPTURE_BYTES)));
    }

    static String eventLocation(String key) {
        return "/" + ROOT + "/events/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String captureId() {
        return "c" + UUID.randomUUID().toString().replace("-", "");
    }

    private static ApiResponse withVersion(ApiResponse r) {
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put(VERSION_HEADER, VERSION);
        return new ApiResponse(r.status(), h, r.body());
    }

    /** A GS1 problem ({@code epcisException:<type>}), with the version header. */
    static final class Epcis extends RuntimeException {
        private final int status;
        private final String type;
        private final String title;
        private final Map<String, String> headers;

        Epcis(int status, String type, String title, String detail) {
            this(status, type, title, detail, Map.of());
        }

        Epcis(int status, String type, String title, String detail, Map<String, String> headers) {
            super(detail);
            this.status = status;
            this.type = type;
            this.title = title;
            this.headers = headers;
        }

        ApiResponse response() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("type", "epcisException:" + type);
            n.put("title", title);
            n.put("status", status);
            n.put("detail", getMessage());
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put("Content-Type", ApiResponse.PROBLEM_JSON);
            h.put("Cache-Control", "no-store");
            h.put(VERSION_HEADER, VERSION);
            return new ApiResponse(status, h, Json.write(n));
        }
    }
}
