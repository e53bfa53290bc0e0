package io.waybill.local.replay;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Which dead letters a replay re-drives, on the emulators: letters in ingest's format (written here with
 * {@link DeadLetterJson}, the format contract), a stream nobody consumes, so what was put is read back exactly.
 */
@Timeout(60)
class DeadLetterReplayTest extends ReplayStackTestBase {
    private static String letter(byte[] payload, RejectionReason reason, String partitionKey) {
        return DeadLetterJson.toJson(new DeadLetter(payload, reason, "as recorded by ingest", null,
                new RecordOrigin("arn:aws:kinesis:us-east-1:000000000000:stream/raw", "shardId-000000000000", "1",
                        partitionKey), Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:01Z")));
    }

    @Test
    void lettersAreReDrivenBySelectionAndKeptWhenTheCurrentCodeRejectsThemAgain() {
        List<byte[]> valid = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
        byte[] missingField = SampleCatalog.bytes("malformed/missing-identity.json");
        String stream = "dl-" + suffix();
        resources.createStream(stream, 1);
        String queue = resources.createQueue("dlq-" + suffix()).url();
        // a: passes now (dead-lettered under a too-small size limit); b: still rejected (MISSING_FIELD);
        // c: passes now (an adapter bug since fixed); d: an id conflict; e: not a dead letter at all.
        for (String body : List.of(letter(valid.get(0), RejectionReason.OVERSIZED, "a-key"),
                letter(missingField, RejectionReason.MISSING_FIELD, "b-key"),
                letter(valid.get(1), RejectionReason.SCHEMA_VIOLATION, "c-key"),
                letter(valid.get(2), RejectionReason.ID_CONFLICT, "d-key"), "{\"hello\":1}")) {
            sqs.sendMessage(m -> m.queueUrl(queue).messageBody(body));
        }
        DeadLetterReplay replay = new DeadLetterReplay(sqs, kinesis, RecordNormalizer.standard());

        DeadLetterReplay.Result oversizedOnly = replay.replay(queue, stream,
                new DeadLetterReplay.Selection(Set.of(RejectionReason.OVERSIZED), false), false);
        assertThat(oversizedOnly.examined()).isEqualTo(5);
        assertThat(oversizedOnly.replayedByReason()).containsExactlyEntriesOf(Map.of(RejectionReason.OVERSIZED, 1));
        assertThat(oversizedOnly.notSelected()).containsOnly(Map.entry(RejectionReason.MISSING_FIELD, 1),
                Map.entry(RejectionReason.SCHEMA_VIOLATION, 1), Map.entry(RejectionReason.ID_CONFLICT, 1));
        assertThat(oversizedOnly.unreadable()).isEqualTo(1);
        assertThat(oversizedOnly.complete()).as("an unreadable message is left behind").isFalse();
        assertThat(bodies(queue)).hasSize(4);

        DeadLetterReplay.Result dry = replay.replay(queue, stream, DeadLetterReplay.Selection.passingNow(), true);
        assertThat(dry.replayedByReason()).containsExactlyEntriesOf(Map.of(RejectionReason.SCHEMA_VIOLATION, 1));
        assertThat(dry.stillFailing()).containsExactlyEntriesOf(Map.of(RejectionReason.MISSING_FIELD, 1));
        assertThat(dry.notSelected()).as("a conflict is never re-driven by default")
                .containsExactlyEntriesOf(Map.of(RejectionReason.ID_CONFLICT, 1));
        assertThat(bodies(queue)).hasSize(4);
        assertThat(recordsIn(stream)).hasSize(1);

        assertThat(replay.replay(queue, stream, DeadLetterReplay.Selection.passingNow(), false).replayed()).isEqualTo(1);
        DeadLetterReplay.Result forced = replay.replay(queue, stream, new DeadLetterReplay.Selection(Set.of(), true),
                false);
        assertThat(forced.replayedByReason()).containsExactlyEntriesOf(Map.of(RejectionReason.MISSING_FIELD, 1));
        assertThat(forced.notSelected()).containsExactlyEntriesOf(Map.of(RejectionReason.ID_CONFLICT, 1));
        DeadLetterReplay.Result conflict = replay.replay(queue, stream,
                new DeadLetterReplay.Selection(Set.of(RejectionReason.ID_CONFLICT), false), false);
        assertThat(conflict.replayed()).isEqualTo(1);

        assertThat(bodies(queue)).containsExactly("{\"hello\":1}");
        List<Record> put = recordsIn(stream);
        assertThat(put).extracting(Record::partitionKey, r -> r.data().asByteArray()).containsExactly(
                tuple("a-key", valid.get(0)), tuple("c-key", valid.get(1)), tuple("b-key", missingField),
                tuple("d-key", valid.get(2)));
    }

    /** A letter whose payload is elsewhere (a claim check) is read through the decoder plugged in. */
    @Test
    void aClaimCheckedLetterIsReadThroughTheDecoderPluggedIn() {
        byte[] payload = SampleCatalog.valid().get(3).compactRaw();
        String stream = "dl-" + suffix();
        resources.createStream(stream, 1);
        String queue = resources.createQueue("dlq-" + suffix()).url();
        sqs.sendMessage(m -> m.queueUrl(queue).messageBody("{\"claimCheck\":\"s3://dead-letters/x.json\"}"));
        Map<String, String> bucket = Map.of("s3://dead-letters/x.json",
                letter(payload, RejectionReason.OVERSIZED, "claimed-key"));
        DeadLetterDecoder claimCheck = body -> body.contains("claimCheck")
                ? DeadLetterJson.fromJson(bucket.get(body.replaceAll(".*\"(s3://[^\"]+)\".*", "$1")))
                : DeadLetterDecoder.JSON.decode(body);

        DeadLetterReplay.Result r = new DeadLetterReplay(sqs, kinesis, RecordNormalizer.standard(),
                claimCheck, 0).replay(queue, stream, DeadLetterReplay.Selection.passingNow(), false);

        assertThat(r.replayed()).isEqualTo(1);
        assertThat(recordsIn(stream))
                .extracting(Record::partitionKey, x -> x.data().asByteArray())
                .containsExactly(tuple("claimed-key", payload));
    }
}
