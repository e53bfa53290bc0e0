package io.waybill.domain.ingestion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import io.waybill.domain.testing.InMemoryPorts;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stage upgraded from id scheme 1: events stored before the cutover keep their scheme-1 ids, and a resend of one of
 * them must not be stored a second time under its scheme-2 id.
 *
 * <p>The scheme-1 id of the FrostByte sample ({@code raw/frostbyte/reading-kelvin.json}) was worked out once in the
 * shell from the scheme-1 definition (SHA-256 over source, type, subject and device time, each followed by 0x1f, then
 * the compact {@code data} JSON of {@code canonical/frostbyte/reading-kelvin.json}; UUID version 8 from the first 16
 * bytes), not with {@code EventIds}:
 * <pre>
 * printf '%s\x1f%s\x1f%s\x1f%s\x1f%s' 'urn:waybill:frostbyte:FB-77' 'waybill.temperature.observed.v1' \
 *   '106141412345678908' '2026-11-27T08:00:00Z' \
 *   '{"shipmentSscc":"106141412345678908","deviceId":"FB-77","windowStart":"2026-11-27T08:00:00Z",\
 * "windowEnd":"2026-11-27T08:00:00Z","minCelsius":4.2,"maxCelsius":4.2,"meanCelsius":4.2,"readingCount":1}' | sha256sum
 * e647f2026d0c799bffc63485d4344c3a5118f5517655e68ff966ac6e83bc8e87
 * </pre>
 * First 16 bytes {@code e647f202 6d0c 799b ff c6 3485d4344c3a}; byte 6 0x79 becomes 0x89 (version 8), byte 8 0xff
 * becomes 0xbf (RFC 9562 variant): {@value #LEGACY_ID}.
 */
class LegacyIdTransitionTest {
    private static final String LEGACY_ID = "e647f202-6d0c-899b-bfc6-3485d4344c3a";
    private static final String SOURCE = "urn:waybill:frostbyte:FB-77";
    private static final String LEGACY_KEY = SOURCE + "#" + LEGACY_ID;
    /** Scheme 2: the producer's counter ({@code "counter": 77}). */
    private static final String SCHEME_2_KEY = SOURCE + "#seq-77";
    private static final String SSCC = "106141412345678908";
    private static final Instant DEVICE_TIME = Instant.parse("2026-11-27T08:00:00Z");
    /** Scheme 2 deployed five days after the reading. */
    private static final Instant CUTOVER = Instant.parse("2026-12-02T19:00:00Z");
    /** The projection the legacy fact made: its temperature, its id. */
    private static final ShipmentState AFTER_LEGACY_FACT = new ShipmentState(SSCC, ShipmentStatus.UNKNOWN, null, null,
            null, null, null, null, 4.2, DEVICE_TIME, LEGACY_KEY, null, null, null, null, DEVICE_TIME, LEGACY_KEY,
            "waybill.temperature.observed.v1", null, null);

    private final InMemoryPorts.Ledger ledger = new InMemoryPorts.Ledger();
    private final InMemoryPorts.Shipments shipments = new InMemoryPorts.Shipments();
    private final InMemoryPorts.DeadLetters deadLetters = new InMemoryPorts.DeadLetters();
    private final InMemoryPorts.CanonicalStream stream = new InMemoryPorts.CanonicalStream();
    private final List<CanonicalEventPublisher.Publication> published = stream.published;

    private BatchIngestion ingestion(Instant cutover) {
        return new BatchIngestion(RecordNormalizer.standard(), ledger, shipments, deadLetters, stream,
                Clock.systemUTC(), null, LegacyIdWindow.of(Optional.ofNullable(cutover), ledger));
    }

    /** The sample resent {@code by} after its first delivery (a partner resend, or a redelivery across the deploy). */
    private static RawRecord resend(String samplePath, Duration by, Consumer<ObjectNode> change) {
        ObjectNode raw = (ObjectNode) SampleCatalog.json(samplePath).deepCopy();
        raw.put("wb_received_ms", raw.path("wb_received_ms").asLong() + by.toMillis());
        change.accept(raw);
        return new RawRecord(raw.toString().getBytes(StandardCharsets.UTF_8),
                new RecordOrigin("telemetry", "shardId-000000000000", "49001", "pk"),
                Instant.ofEpochMilli(raw.path("wb_received_ms").asLong()).plusMillis(200));
    }

    private static RawRecord resend(String samplePath, Duration by) {
        return resend(samplePath, by, r -> { });
    }

    /** Stores an event as scheme 1 did: the canonical sample under its scheme-1 id, no idscheme, no contenthash. */
    private void storedUnderScheme1(String canonicalSample, String id, Consumer<ObjectNode> change) {
        ObjectNode json = (ObjectNode) SampleCatalog.json(canonicalSample).deepCopy();
        json.put("id", id);
        json.remove("idscheme");
        json.remove("contenthash");
        change.accept(json);
        String text = json.toString();
        var event = CanonicalEventJson.fromJson(json);
        ledger.stored.put(event.eventKey(), new NormalizationResult.Normalized(
                RawRecord.of(text.getBytes(StandardCharsets.UTF_8), "legacy"), event, text));
    }

    private void frostByteReadingStoredUnderScheme1() {
        storedUnderScheme1("canonical/frostbyte/reading-kelvin.json", LEGACY_ID, j -> { });
        shipments.save(AFTER_LEGACY_FACT, null);
    }

    @Test
    void aResendOfAFactStoredUnderScheme1IsADuplicateOfItWhenTheCutoverIsSet() {
        frostByteReadingStoredUnderScheme1();

        BatchOutcome o = ingestion(CUTOVER).ingest(List.of(resend("raw/frostbyte/reading-kelvin.json",
                Duration.ofDays(9))), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(ledger.stored).containsOnlyKeys(LEGACY_KEY);
        assertThat(ledger.writeRequests).isZero();
        assertThat(ledger.reads).containsExactly(LEGACY_KEY);
        assertThat(o.legacyReads()).isEqualTo(1);
        assertThat(o.legacyDuplicates()).isEqualTo(1);
        // The projection is what the legacy fact made, and nothing was saved over it.
        assertThat(shipments.state(SSCC)).isEqualTo(AFTER_LEGACY_FACT);
        assertThat(shipments.saves).isEqualTo(1);
        // The stored copy, under its scheme-1 id, is what is published: consumers see one fact, one id.
        assertThat(published).extracting(p -> p.event().id()).containsExactly(LEGACY_ID);
        assertThat(deadLetters.sent).isEmpty();
    }

    @Test
    void withoutTheCutoverTheSameResendIsStoredASecondTimeUnderItsScheme2Id() {
        // Why a stage with scheme-1 data needs the setting: the fact is duplicated, and its projection fold comes
        // from an event whose id the consumers never saw.
        frostByteReadingStoredUnderScheme1();

        BatchOutcome o = ingestion(null).ingest(List.of(resend("raw/frostbyte/reading-kelvin.json",
                Duration.ofDays(9))), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED);
        assertThat(ledger.stored).containsOnlyKeys(LEGACY_KEY, SCHEME_2_KEY);
        assertThat(ledger.reads).isEmpty();
        assertThat(o.legacyReads()).isZero();
        assertThat(published).extracting(p -> p.event().id()).containsExactly("seq-77");
    }

    @Test
    void anEventFromTheCutoverOnIsNeverLookedUp() {
        frostByteReadingStoredUnderScheme1();

        // Device time 2026-11-27T08:00:00Z exactly at the cutover: scheme 1 was gone by then.
        BatchOutcome o = ingestion(DEVICE_TIME).ingest(List.of(resend("raw/frostbyte/reading-kelvin.json",
                Duration.ofMinutes(1))), Instant.now());

        assertThat(ledger.reads).isEmpty();
        assertThat(o.legacyReads()).isZero();
        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED);
        assertThat(ledger.writeRequests).isEqualTo(1);
    }

    @Test
    void anEventBeforeTheCutoverThatWasNeverStoredPaysOneReadAndOneWrite() {
        BatchOutcome o = ingestion(CUTOVER).ingest(List.of(resend("raw/frostbyte/reading-kelvin.json",
                Duration.ZERO)), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.STORED);
        assertThat(ledger.reads).containsExactly(LEGACY_KEY);
        assertThat(ledger.writeRequests).isEqualTo(1);
        assertThat(ledger.stored).containsOnlyKeys(SCHEME_2_KEY);
        assertThat(o.legacyReads()).isEqualTo(1);
        assertThat(o.legacyDuplicates()).isZero();
    }

    @Test
    void aLegacyFactWhoseIdWasTheProducersMessageIdIsMetByTheConditionalPutWithoutARead() {
        // SwiftLog sends messageId SL-20261127-000981: scheme 1 used it as sent, scheme 2 keeps it (a safe id).
        storedUnderScheme1("canonical/swiftlog/departed.json", "SL-20261127-000981", j -> { });

        BatchOutcome o = ingestion(CUTOVER).ingest(List.of(resend("raw/swiftlog/departed.json",
                Duration.ofDays(3))), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(ledger.reads).isEmpty();
        assertThat(ledger.writeRequests).isEqualTo(1);
        assertThat(ledger.stored).hasSize(1);
    }

    @Test
    void aMessageIdScheme2HashesIsLookedUpAsSentAndAbsorbedWhenTheContentIsTheSame() {
        // "cc9 000451" (a space) is outside scheme 2's safe characters: scheme 2 stores it as msg-sha256-...;
        // scheme 1 stored it as sent.
        storedUnderScheme1("canonical/coldchainco/reading.json", "cc9 000451", j -> { });

        BatchOutcome o = ingestion(CUTOVER).ingest(List.of(resend("raw/coldchainco/reading.json",
                Duration.ofDays(2), r -> r.put("msgId", "cc9 000451"))), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DUPLICATE_IN_STORE);
        assertThat(ledger.reads).containsExactly("urn:waybill:coldchainco:CC-0009#cc9 000451");
        assertThat(ledger.writeRequests).isZero();
        assertThat(o.legacyDuplicates()).isEqualTo(1);
    }

    @Test
    void aMessageIdReusedForAnotherReadingThanTheLegacyFactIsAnIdConflictWithBoth() {
        // The legacy fact read 4.2 °C; the record under the same message id reads 6.8 °C.
        storedUnderScheme1("canonical/coldchainco/reading.json", "cc9 000451", j -> { });

        BatchOutcome o = ingestion(CUTOVER).ingest(List.of(resend("raw/coldchainco/reading.json",
                Duration.ofDays(2), r -> {
                    r.put("msgId", "cc9 000451");
                    r.with("reading").put("celsius", 6.8);
                })), Instant.now());

        assertThat(o.outcomes()).containsExactly(RecordOutcome.DEAD_LETTERED);
        assertThat(o.rejections()).containsEntry(RejectionReason.ID_CONFLICT, 1);
        assertThat(ledger.writeRequests).isZero();
        assertThat(ledger.stored).hasSize(1);
        DeadLetter letter = deadLetters.sent.get(0);
        assertThat(letter.conflict().storedEventJson()).contains("\"meanCelsius\":4.2");
        assertThat(letter.conflict().eventJson()).contains("\"meanCelsius\":6.8");
        assertThat(o.legacyDuplicates()).isZero();
        assertThat(o.legacyReads()).isEqualTo(1);
    }
}
