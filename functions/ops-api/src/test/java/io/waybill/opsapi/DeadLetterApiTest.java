package io.waybill.opsapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.adapter.AdapterRegistry;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.waybill.opsapi.ContractCheckedCalls.READER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter routes through the handler, every response checked against the OpenAPI document. The desk and the
 * stream are maps ({@link DeskFakes}); the normaliser is the real one. Expected outcomes are decided by hand from what
 * each letter is: a valid sample dead-lettered as OVERSIZED under a limit since raised passes now; the sample with no
 * identity is MISSING_FIELD again; an ID_CONFLICT is kept; bytes that are not JSON are MALFORMED_JSON again.
 */
class DeadLetterApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Five minutes after the samples' device times (2026-11-27T08:00Z), inside every clock-skew bound. */
    private static final Instant NOW = Instant.parse("2026-11-27T08:05:00Z");
    private static final Path SAMPLES = Path.of("../../events-samples");
    private static final Map<String, String> WRITER = Map.of("sub", "u-2", "email", "qa@example.com",
            "scope", "waybill/ops.read waybill/ops.write");

    private final DeskFakes.Desk desk = new DeskFakes.Desk();
    private final DeskFakes.Stream stream = new DeskFakes.Stream();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final OpsApiHandler handler = new OpsApiHandler(new OpsApi(List.of(new DeadLetterRoutes(desk, desk,
            new DeadLetterReplays(desk, new RecordNormalizer(AdapterRegistry.standard(), NormalizerConfig.defaults(),
                    clock), stream, clock)))));

    private final byte[] valid = sample("raw/coldchainco/reading.json");
    private final byte[] missingIdentity = sample("malformed/missing-identity.json");
    /** Not UTF-8 (0xC3 starts a two-byte sequence that 0x28 does not continue), and not JSON. */
    private final byte[] binary = {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF};
    private final String oversized = desk.record(letter(valid, RejectionReason.OVERSIZED, "a-key", "1"));
    private final String missing = desk.record(letter(missingIdentity, RejectionReason.MISSING_FIELD, "b-key", "2"));
    private final String conflict = desk.record(letter(valid, RejectionReason.ID_CONFLICT, "c-key", "3"));
    private final String malformed = desk.record(letter(binary, RejectionReason.MALFORMED_JSON, "d-key", "4"));

    private static byte[] sample(String path) {
        try {
            return Files.readAllBytes(SAMPLES.resolve(path));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static DeadLetter letter(byte[] payload, RejectionReason reason, String partitionKey, String sequence) {
        return new DeadLetter(payload, reason, "as recorded by ingest", "coldchainco",
                new RecordOrigin("raw", "shardId-000000000000", sequence, partitionKey),
                Instant.parse("2026-11-27T08:00:02Z"), Instant.parse("2026-11-27T08:00:03Z"));
    }

    private Reply call(String method, String path, String query, Map<String, String> claims, String body) {
        return ContractCheckedCalls.call(handler, method, path, query, claims, body);
    }

    private Reply post(String path, Map<String, String> claims, String body) {
        return call("POST", path, null, claims, body);
    }

    private static Map<String, String> outcomes(Reply r) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        r.body().get("items").forEach(i -> m.put(i.get("id").asText(), i.get("outcome").asText()));
        return m;
    }

    private static void assertInvalid(Reply r, String param) {
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get("invalidParams").get(0).get("name").asText()).isEqualTo(param);
    }

    @Test
    void theIdIsTheSha256OfTheStreamPositionAndReason() throws Exception {
        // the documented formula, computed here: stream \n shardId \n sequenceNumber \n reason
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("raw\nshardId-000000000000\n1\nOVERSIZED".getBytes(StandardCharsets.UTF_8)));
        assertThat(oversized).isEqualTo(expected);
        assertThat(desk.record(letter(valid, RejectionReason.OVERSIZED, "a-key", "1")))
                .as("a retried send is the same entry").isEqualTo(oversized);
        assertThat(desk.entries).hasSize(4);
    }

    @Test
    void theListFiltersByReasonAndShowsNoPayload() {
        Reply all = call("GET", "/dead-letters", null, READER, null);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().findValuesAsText("id")).containsExactly(oversized, missing, conflict, malformed);
        assertThat(all.body().findValuesAsText("status")).containsExactly("PENDING", "PENDING", "KEPT", "PENDING");
        assertThat(all.body().findValue("payload")).isNull();

        Reply one = call("GET", "/dead-letters", "reason=missing_field", READER, null);
        assertThat(one.body().findValuesAsText("id")).containsExactly(missing);
        assertThat(one.body().get("items").get(0).get("origin").get("partitionKey").asText()).isEqualTo("b-key");
    }

    @Test
    void oneLetterCarriesItsDecodedPayload() {
        Reply r = call("GET", "/dead-letters/" + missing, null, READER, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("payload").get("text").asText())
                .isEqualTo(new String(missingIdentity, StandardCharsets.UTF_8));
        assertThat(r.body().get("payload").get("bytes").asInt()).isEqualTo(missingIdentity.length);

        Reply b = call("GET", "/dead-letters/" + malformed, null, READER, null);
        assertThat(b.body().get("payload").get("base64").asText()).isEqualTo("wygA/w=="); // C3 28 00 FF by hand
        assertThat(b.body().get("payload").has("text")).as("not UTF-8: no text").isFalse();
        assertThat(b.body().get("payload").get("bytes").asInt()).isEqualTo(4);

        assertThat(call("GET", "/dead-letters/" + "0".repeat(64), null, READER, null).status()).isEqualTo(404);
    }

    @Test
    void aDryRunIsTheDefaultAndChangesNothing() {
        Reply dry = post("/dead-letters/replay", WRITER,
                "{\"ids\":[\"" + oversized + "\",\"" + missing + "\",\"" + conflict + "\",\"" + malformed + "\"]}");
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.body().get("dryRun").asBoolean()).isTrue();
        assertThat(outcomes(dry)).containsExactly(Map.entry(oversized, "WOULD_REPLAY"),
                Map.entry(missing, "REJECTED_AGAIN"), Map.entry(conflict, "KEPT"), Map.entry(malformed, "REJECTED_AGAIN"));
        assertThat(dry.body().get("items").get(1).get("reason").asText()).isEqualTo("MISSING_FIELD");
        assertThat(dry.body().get("items").get(3).get("reason").asText()).isEqualTo("MALFORMED_JSON");
        // 1 would replay, 2 rejected again, 1 kept: 4 letters
        assertThat(dry.body().get("counts")).isEqualTo(JSON.createObjectNode().put("WOULD_REPLAY", 1)
                .put("REJECTED_AGAIN", 2).put("KEPT", 1));
        assertThat(stream.put).isEmpty();
        assertThat(desk.entries.values()).extracting(DeadLetterDesk.Entry::status).containsExactly(
                DeadLetterDesk.Status.PENDING, DeadLetterDesk.Status.PENDING, DeadLetterDesk.Status.KEPT,
                DeadLetterDesk.Status.PENDING);

        Reply one = post("/dead-letters/" + oversized + "/replay", WRITER, null);
        assertThat(outcomes(one)).containsExactly(Map.entry(oversized, "WOULD_REPLAY"));
        assertThat(stream.put).isEmpty();
    }

    @Test
    void aRealReplayReDrivesOnceWithTheOriginalKeyAndMarksTheCaller() {
        Reply r = post("/dead-letters/" + oversized + "/replay", WRITER, "{\"dryRun\":false}");
        assertThat(r.body().get("dryRun").asBoolean()).isFalse();
        assertThat(outcomes(r)).containsExactly(Map.entry(oversized, "REPLAYED"));
        assertThat(stream.put).hasSize(1);
        assertThat(stream.put.get(0).partitionKey()).isEqualTo("a-key");
        assertThat(stream.put.get(0).data()).isEqualTo(valid);
        Reply after = call("GET", "/dead-letters/" + oversized, null, READER, null);
        assertThat(after.body().get("status").asText()).isEqualTo("REPLAYED");
        assertThat(after.body().get("replayedBy").asText()).isEqualTo("qa@example.com");
        assertThat(after.body().get("replayedAt").asText()).isEqualTo("2026-11-27T08:05:00Z");

        Reply again = post("/dead-letters/" + oversized + "/replay", WRITER, "{\"dryRun\":false}");
        assertThat(outcomes(again)).containsExactly(Map.entry(oversized, "ALREADY_REPLAYED"));
        assertThat(stream.put).hasSize(1);
    }

    @Test
    void aFilteredReplayTakesThePendingLettersOfTheReason() {
        Reply r = post("/dead-letters/replay", WRITER, "{\"reason\":\"OVERSIZED\",\"limit\":5,\"dryRun\":false}");
        assertThat(outcomes(r)).containsExactly(Map.entry(oversized, "REPLAYED"));
        Reply none = post("/dead-letters/replay", WRITER, "{\"reason\":\"OVERSIZED\",\"dryRun\":false}");
        assertThat(none.body().get("items")).isEmpty();
        assertThat(stream.put).hasSize(1);
    }

    @Test
    void aRecordTheStreamRefusesStaysPendingAndReplaysLater() {
        stream.refuse.add("a-key");
        Reply r = post("/dead-letters/" + oversized + "/replay", WRITER, "{\"dryRun\":false}");
        assertThat(outcomes(r)).containsExactly(Map.entry(oversized, "NOT_PUT"));
        assertThat(desk.entries.get(oversized).status()).isEqualTo(DeadLetterDesk.Status.PENDING);
        stream.refuse.clear();
        assertThat(outcomes(post("/dead-letters/" + oversized + "/replay", WRITER, "{\"dryRun\":false}")))
                .containsExactly(Map.entry(oversized, "REPLAYED"));
        assertThat(stream.put).hasSize(1);
    }

    @Test
    void concurrentReplaysReDriveOnce() throws Exception {
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return post("/dead-letters/" + oversized + "/replay", WRITER, "{\"dryRun\":false}");
                }));
            }
            start.countDown();
            List<String> seen = new ArrayList<>();
            for (Future<Reply> f : replies) {
                seen.add(outcomes(f.get()).get(oversized));
            }
            // one winner, seven that find it claimed or replayed
            assertThat(seen).filteredOn("REPLAYED"::equals).hasSize(1);
            assertThat(seen).filteredOn("ALREADY_REPLAYED"::equals).hasSize(callers - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stream.put).hasSize(1);
    }

    @Test
    void aReplayNeedsTheWriteScope() {
        assertThat(post("/dead-letters/" + oversized + "/replay", READER, null).status()).isEqualTo(403);
        assertThat(post("/dead-letters/replay", READER, "{}").status()).isEqualTo(403);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"dryRun\":\"no\"}|dryRun",
            "{\"ids\":[\"abc\"]}|ids",
            "{\"ids\":[]}|ids",
            "{\"ids\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"],\"reason\":\"OVERSIZED\"}|ids",
            "{\"reason\":\"NOPE\"}|reason",
            "{\"limit\":101}|limit",
            "{\"limit\":0}|limit",
            "{\"adapter\":\"\"}|adapter",
            "{\"everything\":true}|everything",
            "[1]|body"})
    void badReplayBodiesNameTheField(String body, String field) {
        assertInvalid(post("/dead-letters/replay", WRITER, body), field);
    }

    @Test
    void badReadParametersNameTheParameter() {
        assertInvalid(call("GET", "/dead-letters", "reason=NOPE", READER, null), "reason");
        assertInvalid(call("GET", "/dead-letters", "status=LOST", READER, null), "status");
        assertInvalid(call("GET", "/dead-letters", "limit=101", READER, null), "limit");
        assertInvalid(call("GET", "/dead-letters/not-an-id", null, READER, null), "deadLetterId");
        assertInvalid(post("/dead-letters/XYZ/replay", WRITER, null), "deadLetterId");
        assertThat(post("/dead-letters/replay", WRITER, null).status()).isEqualTo(400);
        assertThat(call("GET", "/dead-letters/replay", null, READER, null).status()).isEqualTo(405);
        assertThat(post("/dead-letters/" + "0".repeat(64) + "/replay", WRITER, null).status()).isEqualTo(404);
    }

    @Test
    void everyDeadLetterOperationIsServed() {
        List<String> served = new ArrayList<>();
        for (String op : OpsApiContract.operations()) {
            String[] mp = op.split(" ");
            if (mp[1].startsWith("/dead-letters")) {
                Reply r = call(mp[0], mp[1].replace("{deadLetterId}", oversized), null, WRITER,
                        mp[0].equals("POST") ? "{}" : null);
                assertThat(r.status()).as(op).isEqualTo(200);
                served.add(op);
            }
        }
        assertThat(served).hasSize(4);
    }

    @Test
    void anUnknownIdInASetIsReportedNotFound() {
        Reply r = post("/dead-letters/replay", WRITER, "{\"ids\":[\"" + "0".repeat(64) + "\"]}");
        assertThat(outcomes(r)).containsExactly(Map.entry("0".repeat(64), "NOT_FOUND"));
        assertThat(Base64.getDecoder().decode("wygA/w==")).isEqualTo(binary);
    }
}
