package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /dead-letters}, {@code GET /dead-letters/{id}} (with the decoded payload), and the replays
 * {@code POST /dead-letters/{id}/replay} and {@code POST /dead-letters/replay} (ids, or a filter over the PENDING
 * letters): a dry run unless the body says {@code "dryRun": false} ({@link DeadLetterReplays}).
 */
final class DeadLetterRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "dead-letters";
    /** Ids are SHA-256 hex ({@link io.waybill.domain.ingestion.DeadLetterIds}). */
    static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    /** The longest adapter name a filter takes (the contract's maxLength). */
    static final int MAX_ADAPTER = 64;

    private final DeadLetterReadModel letters;
    private final DeadLetterDesk desk;
    private final DeadLetterReplays replays;

    DeadLetterRoutes(DeadLetterReadModel letters, DeadLetterDesk desk, DeadLetterReplays replays) {
        this.letters = Objects.requireNonNull(letters, "letters");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.replays = Objects.requireNonNull(replays, "replays");
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
            return list(call);
        }
        if (n == 2 && "replay".equals(call.segment(1))) {
            call.allow("POST", Caller.READ, Caller.WRITE);
            return replaySet(call, RequestBody.body(RequestBody.jsonBody(call.request()), true));
        }
        if (n == 2) {
            call.allow("GET", Caller.READ);
            String id = id(call.decoded(1, "deadLetterId"));
            return desk.find(id).map(e -> call.ok(detailJson(e)))
                    .orElseThrow(() -> Problem.notFound("no dead letter " + id));
        }
        if (n == 3 && "replay".equals(call.segment(2))) {
            call.allow("POST", Caller.READ, Caller.WRITE);
            String id = id(call.decoded(1, "deadLetterId"));
            JsonNode body = RequestBody.body(RequestBody.jsonBody(call.request()), false);
            RequestBody.fields(body, Set.of("dryRun"));
            boolean dryRun = dryRun(body);
            List<DeadLetterReplays.Item> items = run(List.of(id), dryRun, call.caller());
            if (items.get(0).outcome() == DeadLetterReplays.Outcome.NOT_FOUND) {
                throw Problem.notFound("no dead letter " + id);
            }
            return call.ok(resultJson(dryRun, items));
        }
        return null;
    }

    private ApiResponse list(Call call) {
        Query q = call.query();
        RejectionReason reason = q.enumValue("reason", RejectionReason.class);
        String adapter = q.text("adapter", MAX_ADAPTER);
        DeadLetterDesk.Status status = q.enumValue("status", DeadLetterDesk.Status.class);
        String token = q.text("pageToken", 2048);
        int limit = q.limit();
        return call.page(letters.list(new DeadLetterReadModel.Filter(reason, adapter, status), token, limit),
                DeadLetterRoutes::summaryJson);
    }

    private ApiResponse replaySet(Call call, JsonNode body) {
        RequestBody.fields(body, Set.of("dryRun", "ids", "reason", "adapter", "limit"));
        boolean dryRun = dryRun(body);
        List<String> ids = new ArrayList<>();
        JsonNode idsNode = body.get("ids");
        if (idsNode != null && !idsNode.isNull()) {
            if (body.has("reason") || body.has("adapter") || body.has("limit")) {
                throw Problem.invalidParam("ids", "either ids or a filter (reason, adapter, limit), not both");
            }
            if (!idsNode.isArray() || idsNode.isEmpty() || idsNode.size() > OpsApi.MAX_LIMIT) {
                throw Problem.invalidParam("ids", "an array of 1 to " + OpsApi.MAX_LIMIT + " dead-letter ids");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode i : idsNode) {
                if (!i.isTextual() || !ID.matcher(i.asText()).matches()) {
                    throw Problem.invalidParam("ids", "each id is 64 lower-case hex digits");
                }
                if (!seen.add(i.asText())) {
                    throw Problem.invalidParam("ids", "named more than once: " + i.asText());
                }
            }
            ids.addAll(seen);
        } else {
            RejectionReason reason = null;
            JsonNode r = body.get("reason");
            if (r != null && !r.isNull()) {
                reason = r.isTextual() ? Arrays.stream(RejectionReason.values())
                        .filter(x -> x.name().equals(r.asText())).findFirst().orElse(null) : null;
                if (reason == null) {
                    throw Problem.invalidParam("reason", "must be one of " + Arrays.toString(RejectionReason.values()));
                }
            }
            String adapter = null;
            JsonNode a = body.get("adapter");
            if (a != null && !a.isNull()) {
                if (!a.isTextual() || a.asText().isEmpty() || a.asText().length() > MAX_ADAPTER) {
                    throw Problem.invalidParam("adapter", "1 to " + MAX_ADAPTER + " characters");
                }
                adapter = a.asText();
            }
            int limit = OpsApi.DEFAULT_LIMIT;
            JsonNode l = body.get("limit");
            if (l != null && !l.isNull()) {
                if (!l.isIntegralNumber() || l.asLong() < 1 || l.asLong() > OpsApi.MAX_LIMIT) {
                    throw Problem.invalidParam("limit", "must be an integer from 1 to " + OpsApi.MAX_LIMIT);
                }
                limit = l.asInt();
            }
            letters.list(new DeadLetterReadModel.Filter(reason, adapter, DeadLetterDesk.Status.PENDING), null, limit)
                    .items().forEach(e -> ids.add(e.id()));
        }
        return call.ok(resultJson(dryRun, run(ids, dryRun, call.caller())));
    }

    private List<DeadLetterReplays.Item> run(List<String> ids, boolean dryRun, Caller caller) {
        if (!dryRun && !replays.canRedrive()) {
            throw Problem.unavailable("no ingest stream is configured: only dry runs can be served");
        }
        return replays.replay(ids, dryRun, caller.actor());
    }

    /** Only a literal {@code false} re-drives; absent is a dry run. */
    private static boolean dryRun(JsonNode body) {
        JsonNode d = body.get("dryRun");
        if (d == null || d.isNull()) {
            return true;
        }
        if (!d.isBoolean()) {
            throw Problem.invalidParam("dryRun", "must be true or false");
        }
        return d.booleanValue();
    }

    private static String id(String raw) {
        if (!ID.matcher(raw).matches()) {
            throw Problem.invalidParam("deadLetterId", "64 lower-case hex digits");
        }
        return raw;
    }

    static ObjectNode resultJson(boolean dryRun, List<DeadLetterReplays.Item> items) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("dryRun", dryRun);
        ArrayNode a = n.putArray("items");
        Map<DeadLetterReplays.Outcome, Integer> counts = new EnumMap<>(DeadLetterReplays.Outcome.class);
        for (DeadLetterReplays.Item i : items) {
            ObjectNode o = a.addObject();
            o.put("id", i.id());
            o.put("outcome", i.outcome().name());
            if (i.reason() != null) {
                o.put("reason", i.reason().name());
            }
            Json.text(o, "detail", i.detail());
            counts.merge(i.outcome(), 1, Integer::sum);
        }
        ObjectNode c = n.putObject("counts");
        counts.forEach((k, v) -> c.put(k.name(), v));
        return n;
    }

    static ObjectNode summaryJson(DeadLetterDesk.Entry e) {
        DeadLetter l = e.letter();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("reason", l.reason().name());
        n.put("detail", l.detail() == null ? "" : l.detail());
        Json.text(n, "adapter", l.adapter());
        ObjectNode o = n.putObject("origin");
        RecordOrigin origin = l.origin();
        if (origin != null) {
            Json.text(o, "stream", origin.stream());
            Json.text(o, "shardId", origin.shardId());
            Json.text(o, "sequenceNumber", origin.sequenceNumber());
            Json.text(o, "partitionKey", origin.partitionKey());
        }
        Json.instant(n, "arrivedAt", l.arrivedAt());
        Json.instant(n, "deadLetteredAt", l.deadLetteredAt());
        n.put("status", e.status().name());
        Json.instant(n, "replayedAt", e.replayedAt());
        Json.text(n, "replayedBy", e.replayedBy());
        return n;
    }

    static ObjectNode detailJson(DeadLetterDesk.Entry e) {
        ObjectNode n = summaryJson(e);
        byte[] payload = e.letter().payload();
        ObjectNode p = n.putObject("payload");
        p.put("base64", Base64.getEncoder().encodeToString(payload));
        String text = utf8(payload);
        if (text != null) {
            p.put("text", text);
        }
        p.put("bytes", payload.length);
        if (e.letter().conflict() != null) {
            n.putObject("conflict").put("storedEvent", e.letter().conflict().storedEventJson())
                    .put("event", e.letter().conflict().eventJson());
        }
        return n;
    }

    /** The bytes as text when they are valid UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
