package io.waybill.aws.epcis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.epcis.CaptureJob;
import io.waybill.domain.epcis.CapturedEvent;
import io.waybill.domain.epcis.EpcisEventIndex;
import io.waybill.domain.epcis.EpcisQuery;
import io.waybill.domain.epcis.EpcisRepository;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.waybill.aws.epcis.EpcisTables.EXPIRES_AT;
import static io.waybill.aws.epcis.EpcisTables.PK;
import static io.waybill.aws.epcis.EpcisTables.QPK;
import static io.waybill.aws.epcis.EpcisTables.QSK;
import static io.waybill.aws.epcis.EpcisTables.QUERY_INDEX;
import static io.waybill.aws.epcis.EpcisTables.SK;

/**
 * {@link EpcisRepository} on one DynamoDB table ({@link EpcisTables} for the layout). Each filter of a query is a
 * Query on the {@code query} index: the most selective single-valued filter picks the partition
 * ({@code MATCH_epc} or {@code MATCH_anyEPC}, then {@code EQ_bizLocation}, {@code EQ_bizStep}, {@code eventType};
 * else {@code all}), the event-time range is the sort-key condition, and every other filter is checked on the event itself.
 *
 * <p>{@link #add} writes the index entries first (idempotent puts) and then the event with
 * {@code attribute_not_exists(pk)}: of two concurrent captures of one key exactly one wins, and an entry left by the
 * loser (or by a crash before the event was written) is skipped on read, because a read keeps an entry only when the
 * event exists, has the entry's event time and matches the query. Dynalite (no transactions) runs the same code.
 */
public final class DynamoDbEpcisRepository implements EpcisRepository {
    /** Capture jobs are kept this long (TTL), long enough for a partner to read the outcome of a capture. */
    public static final Duration JOB_RETENTION = Duration.ofDays(30);
    /** Index entries read per round of a query. */
    static final int ROUND = 100;
    /** Rounds per page at most: a sparse filter returns a short page with a cursor, never a long request. */
    static final int MAX_ROUNDS = 10;
    private static final int MAX_WRITE_BATCH = 25;
    private static final String EVENT = "EVENT";
    private static final String JOB = "JOB";
    private static final String ALL = "all";
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbEpcisRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    // ---- events

    @Override
    public Optional<CapturedEvent> event(String key) {
        Map<String, AttributeValue> item = call("read event", () -> dynamo.getItem(b -> b.tableName(table)
                .key(eventKey(key)).consistentRead(true)).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(event(item));
    }

    @Override
    public boolean add(CapturedEvent event) {
        writeIndex(event);
        try {
            call("add event", () -> dynamo.putItem(b -> b.tableName(table).item(eventItem(event))
                    .conditionExpression("attribute_not_exists(" + PK + ")")));
            return true;
        } catch (TransientDependencyException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void correct(CapturedEvent event) {
        writeIndex(event);
        call("correct event", () -> dynamo.putItem(b -> b.tableName(table).item(eventItem(event))
                .conditionExpression("attribute_exists(" + PK + ")")));
    }

    @Override
    public void remove(String key) {
        List<WriteRequest> deletes = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = call("read event items", () -> dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", s(EVENT + "#" + key)))
                    .projectionExpression("#pk, sk").expressionAttributeNames(Map.of("#pk", PK))
                    .exclusiveStartKey(from).consistentRead(true)));
            r.items().forEach(i -> deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(Map.of(PK, i.get(PK), SK, i.get(SK))).build()).build()));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        batchWrite(deletes, "remove event");
    }

    @Override
    public EventPage events(EpcisQuery query, String cursor, int perPage) {
        if (perPage < 1) {
            throw new IllegalArgumentException("perPage must be positive");
        }
        String partition = partition(query);
        String fingerprint = query.fingerprint();
        Map<String, AttributeValue> start = cursor == null ? null : decode(cursor, partition, fingerprint);
        List<CapturedEvent> out = new ArrayList<>();
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            QueryResponse r = readIndex(partition, query, start);
            List<Map<String, AttributeValue>> items = r.items();
            Map<String, CapturedEvent> events = events(items);
            for (Map<String, AttributeValue> entry : items) {
                CapturedEvent e = events.get(entry.get(PK).s());
                if (e == null) {
                    continue; // an entry of an event never written (a lost race, a crash, a removed capture)
                }
                EpcisEventIndex facts = e.index();
                if (!entry.get(QSK).s().equals(qsk(facts.eventTime(), e.key())) || !query.matches(facts)) {
                    continue;
                }
                out.add(e);
                entries.add(entry);
                if (out.size() == perPage + 1) {
                    return new EventPage(out.subList(0, perPage), encode(entries.get(perPage - 1), fingerprint));
                }
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            if (start == null) {
                return new EventPage(out, null);
            }
        }
        if (out.size() > perPage) { // cannot happen: returned above
            throw new IllegalStateException("page overflow");
        }
        // Sparse: the rounds ran out; the cursor resumes after everything read (all of it is in this page).
        return new EventPage(out, encode(start, fingerprint));
    }

    private QueryResponse readIndex(String partition, EpcisQuery query, Map<String, AttributeValue> start) {
        Map<String, String> names = new HashMap<>(Map.of("#q", QPK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":q", s(partition)));
        String condition = "#q = :q";
        if (query.geEventTime() != null || query.ltEventTime() != null) {
            names.put("#t", QSK);
            // qsk = <time>#<key>: ">= ge" keeps every entry at ge; "<= lt" keeps none at lt (theirs are longer)
            if (query.geEventTime() != null && query.ltEventTime() != null) {
                condition += " AND #t BETWEEN :ge AND :lt";
                values.put(":ge", s(FIXED.format(query.geEventTime())));
                values.put(":lt", s(FIXED.format(query.ltEventTime())));
            } else if (query.geEventTime() != null) {
                condition += " AND #t >= :ge";
                values.put(":ge", s(FIXED.format(query.geEventTime())));
            } else {
                condition += " AND #t < :lt";
                values.put(":lt", s(FIXED.format(query.ltEventTime())));
            }
        }
        QueryRequest.Builder b = QueryRequest.builder().tableName(table).indexName(QUERY_INDEX)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .limit(ROUND);
        if (start != null) {
            b.exclusiveStartKey(start);
        }
        QueryRequest request = b.build();
        return call("query events", () -> dynamo.query(request));
    }

    /** The events the entries point at, by partition key; absent when the event item does not exist. */
    private Map<String, CapturedEvent> events(List<Map<String, AttributeValue>> entries) {
        Set<String> pks = new LinkedHashSet<>();
        entries.forEach(e -> pks.add(e.get(PK).s()));
        Map<String, CapturedEvent> out = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        pks.forEach(pk -> keys.add(Map.of(PK, s(pk), SK, s(EVENT))));
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> pending = keys.subList(from, Math.min(keys.size(), from + 100));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw new TransientDependencyException("DynamoDB", pending.size() + " reads stayed unprocessed",
                            null);
                }
                List<Map<String, AttributeValue>> now = pending;
                var r = call("read events", () -> dynamo.batchGetItem(b -> b.requestItems(Map.of(table,
                        KeysAndAttributes.builder().keys(now).consistentRead(true).build()))));
                r.responses().getOrDefault(table, List.of()).forEach(i -> out.put(i.get(PK).s(), event(i)));
                KeysAndAttributes left = r.unprocessedKeys().get(table);
                pending = left == null ? List.of() : left.keys();
                pause(attempt, pending);
            }
        }
        return out;
    }

    private void writeIndex(CapturedEvent event) {
        EpcisEventIndex facts = event.index();
        Set<String> partitions = new LinkedHashSet<>();
        partitions.add(ALL);
        partitions.add("type#" + facts.type());
        facts.anyEpcs().forEach(epc -> partitions.add("epc#" + epc));
        if (facts.bizStep() != null) {
            partitions.add("step#" + facts.bizStep());
        }
        if (facts.bizLocation() != null) {
            partitions.add("loc#" + facts.bizLocation());
        }
        String qsk = qsk(facts.eventTime(), event.key());
        List<WriteRequest> puts = new ArrayList<>();
        for (String p : partitions) {
            Map<String, AttributeValue> item = Map.of(PK, s(EVENT + "#" + event.key()), SK, s("IX#" + p + "#" + qsk),
                    QPK, s(p), QSK, s(qsk));
            puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        batchWrite(puts, "index event");
    }

    private void batchWrite(List<WriteRequest> writes, String what) {
        for (int from = 0; from < writes.size(); from += MAX_WRITE_BATCH) {
            List<WriteRequest> pending = writes.subList(from, Math.min(writes.size(), from + MAX_WRITE_BATCH));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw new TransientDependencyException("DynamoDB", what + ": " + pending.size()
                            + " writes stayed unprocessed", null);
                }
                List<WriteRequest> now = pending;
                pending = call(what, () -> dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, now))))
                        .unprocessedItems().getOrDefault(table, List.of());
                pause(attempt, pending);
            }
        }
    }

    private static void pause(int attempt, List<?> pending) {
        if (pending.isEmpty()) {
            return;
        }
        try {
            Thread.sleep(25L << Math.min(attempt, 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDependencyException("DynamoDB", "interrupted", e);
        }
    }

    /** The most selective single-valued filter's partition, else every event's. */
    static String partition(EpcisQuery q) {
        if (q.epcs().size() == 1) {
            return "epc#" + q.epcs().iterator().next();
        }
        if (q.anyEpcs().size() == 1) {
            return "epc#" + q.anyEpcs().iterator().next();
        }
        if (q.bizLocations().size() == 1) {
            return "loc#" + q.bizLocations().iterator().next();
        }
        if (q.bizSteps().size() == 1) {
            return "step#" + q.bizSteps().iterator().next();
        }
        if (q.eventTypes().size() == 1) {
            return "type#" + q.eventTypes().iterator().next();
        }
        return ALL;
    }

    private static String qsk(Instant eventTime, String key) {
        return FIXED.format(eventTime) + "#" + key;
    }

    private static Map<String, AttributeValue> eventKey(String key) {
        return Map.of(PK, s(EVENT + "#" + key), SK, s(EVENT));
    }

    private static Map<String, AttributeValue> eventItem(CapturedEvent e) {
        Map<String, AttributeValue> item = new HashMap<>(eventKey(e.key()));
        item.put("key", s(e.key()));
        item.put("event", s(write(e.event())));
        item.put("capturedBy", s(e.capturedBy()));
        item.put("recordTime", s(e.recordTime().toString()));
        return item;
    }

    private static CapturedEvent event(Map<String, AttributeValue> item) {
        return new CapturedEvent(item.get("key").s(), read(item.get("event").s()), item.get("capturedBy").s(),
                Instant.parse(item.get("recordTime").s()));
    }

    // ---- cursors: base64url JSON of the index key and the query's fingerprint

    private static String encode(Map<String, AttributeValue> key, String fingerprint) {
        ObjectNode n = JSON.createObjectNode();
        n.put("f", fingerprint);
        ObjectNode k = n.putObject("k");
        for (String a : List.of(QPK, QSK, PK, SK)) {
            k.put(a, key.get(a).s());
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(write(n).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decode(String cursor, String partition, String fingerprint) {
        JsonNode n;
        try {
            n = JSON.readTree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw new CursorRefused("not a page token of this list");
        }
        if (n == null || !n.isObject() || !fingerprint.equals(n.path("f").asText(null))) {
            throw new CursorRefused("not a page token of this list, or issued for other filters");
        }
        JsonNode k = n.get("k");
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String a : List.of(QPK, QSK, PK, SK)) {
            JsonNode v = k == null ? null : k.get(a);
            if (v == null || !v.isTextual() || v.asText().isEmpty()) {
                throw new CursorRefused("not a page token of this list");
            }
            key.put(a, s(v.asText()));
        }
        if (k.size() != 4 || !partition.equals(key.get(QPK).s()) || !key.get(PK).s().startsWith(EVENT + "#")
                || !key.get(SK).s().equals("IX#" + partition + "#" + key.get(QSK).s())) {
            throw new CursorRefused("not a page token of this list, or issued for other filters");
        }
        return key;
    }

    // ---- jobs

    @Override
    public void saveJob(CaptureJob job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(JOB + "#" + job.captureId()));
        item.put(SK, s(JOB));
        item.put(QPK, s("jobs#" + job.capturedBy()));
        item.put(QSK, s(job.createdAt().toString() + "#" + job.captureId()));
        item.put("job", s(write(jobJson(job))));
        item.put(EXPIRES_AT, AttributeValue.fromN(String.valueOf(job.createdAt().plus(JOB_RETENTION)
                .getEpochSecond())));
        call("save capture job", () -> dynamo.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public Optional<CaptureJob> job(String captureId) {
        Map<String, AttributeValue> item = call("read capture job", () -> dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(PK, s(JOB + "#" + captureId), SK, s(JOB)))).item());
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(job(read(item.get("job").s())));
    }

    @Override
    public List<CaptureJob> jobs(String capturedBy, int limit) {
        QueryResponse r = call("list capture jobs", () -> dynamo.query(b -> b.tableName(table).indexName(QUERY_INDEX)
                .keyConditionExpression("#q = :q").expressionAttributeNames(Map.of("#q", QPK))
                .expressionAttributeValues(Map.of(":q", s("jobs#" + capturedBy))).scanIndexForward(false)
                .limit(limit)));
        return r.items().stream().map(i -> job(read(i.get("job").s()))).toList();
    }

    private static ObjectNode jobJson(CaptureJob j) {
        ObjectNode n = JSON.createObjectNode();
        n.put("captureId", j.captureId());
        n.put("capturedBy", j.capturedBy());
        n.put("createdAt", j.createdAt().toString());
        if (j.finishedAt() != null) {
            n.put("finishedAt", j.finishedAt().toString());
        }
        n.put("errorBehaviour", j.errorBehaviour());
        n.put("captured", j.captured());
        ArrayNode errors = n.putArray("errors");
        for (CaptureJob.CaptureError e : j.errors()) {
            ObjectNode o = errors.addObject();
            o.put("index", e.index());
            if (e.eventKey() != null) {
                o.put("eventKey", e.eventKey());
            }
            o.put("kind", e.kind());
            o.put("detail", e.detail());
        }
        return n;
    }

    private static CaptureJob job(JsonNode n) {
        List<CaptureJob.CaptureError> errors = new ArrayList<>();
        n.path("errors").forEach(e -> errors.add(new CaptureJob.CaptureError(e.path("index").asInt(),
                e.hasNonNull("eventKey") ? e.get("eventKey").asText() : null, e.path("kind").asText(),
                e.path("detail").asText())));
        return new CaptureJob(n.path("captureId").asText(), n.path("capturedBy").asText(),
                Instant.parse(n.path("createdAt").asText()),
                n.hasNonNull("finishedAt") ? Instant.parse(n.get("finishedAt").asText()) : null,
                n.path("errorBehaviour").asText(), n.path("captured").asInt(), errors);
    }

    // ---- shared

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored EPCIS item is not JSON", e);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (SdkException e) {
            throw new TransientDependencyException("DynamoDB", "EPCIS table " + table + ": " + what + " failed: "
                    + e.getMessage(), e);
        }
    }
}
