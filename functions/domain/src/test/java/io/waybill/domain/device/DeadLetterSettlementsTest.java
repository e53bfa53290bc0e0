package io.waybill.domain.device;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterSink;
import io.waybill.domain.ingestion.SettlingDeadLetterSink;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dead-lettered edge messages are settled for the device that sent them, named by the route the IoT rule set, never
 * by the payload. Expected things and sequences are read by hand from the samples and written here.
 */
class DeadLetterSettlementsTest {
    private static DeadLetter letter(byte[] payload, RejectionReason reason) {
        return new DeadLetter(payload, reason, "test", "waybill-edge",
                new RecordOrigin("telemetry", "shardId-000000000000", "1", "reefer-07"), Instant.EPOCH,
                Instant.EPOCH);
    }

    private static DeadLetter letter(String json) {
        return letter(json.getBytes(StandardCharsets.UTF_8), RejectionReason.IMPOSSIBLE_VALUE);
    }

    @Test
    void aMessageNamingAnotherDeviceIsSettledForTheDeviceWhoseRouteSentIt() {
        // events-samples/malformed/identity-mismatch-waybill-edge.json: wb_route waybill-edge/reefer-07,
        // deviceId reefer-08, sequence 6
        Optional<DeadLetterSettlements.Settlement> s = DeadLetterSettlements.of(letter(
                SampleCatalog.bytes("malformed/identity-mismatch-waybill-edge.json"), RejectionReason.IDENTITY_MISMATCH));
        assertThat(s).contains(new DeadLetterSettlements.Settlement("reefer-07", 6, "IDENTITY_MISMATCH"));
    }

    @Test
    void onlyEdgeRoutesWithANonNegativeIntegralSequenceAreSettled() {
        assertThat(DeadLetterSettlements.of(letter("{\"wb_route\":\"waybill-edge/reefer-07\",\"sequence\":0}")))
                .contains(new DeadLetterSettlements.Settlement("reefer-07", 0, "IMPOSSIBLE_VALUE"));
        for (String json : List.of(
                "{\"wb_route\":\"coldchainco/CC-0009\",\"sequence\":6}",          // a partner's route
                "{\"deviceId\":\"reefer-07\",\"sequence\":6}",                     // no route
                "{\"wb_route\":\"waybill-edge/reefer-07\"}",                       // no sequence
                "{\"wb_route\":\"waybill-edge/reefer-07\",\"sequence\":-1}",
                "{\"wb_route\":\"waybill-edge/reefer-07\",\"sequence\":6.5}",
                "{\"wb_route\":\"waybill-edge/reefer-07\",\"sequence\":\"6\"}",
                "{\"wb_route\":\"waybill-edge/a/b\",\"sequence\":6}",              // not one topic level
                "[1,2]", "{\"wb_route\":")) {
            assertThat(DeadLetterSettlements.of(letter(json))).as(json).isEmpty();
        }
        assertThat(DeadLetterSettlements.of(letter(new byte[] {(byte) 0xff, 0x00}, RejectionReason.MALFORMED_JSON)))
                .isEmpty();
    }

    @Test
    void settlementsBecomeEachDevicesMergedRangesInTheStoredPayload() {
        List<DeadLetterSettlements.Settlement> batch = new ArrayList<>();
        for (long seq : new long[] {5, 3, 4, 9, 4}) {
            batch.add(new DeadLetterSettlements.Settlement("reefer-07", seq, "IMPOSSIBLE_VALUE"));
        }
        batch.add(1, new DeadLetterSettlements.Settlement("reefer-09", 0, "UNASSIGNED"));
        var confirmations = DeadLetterSettlements.confirmations(batch);
        // reefer-07: {3,4,5,9} (4 twice) -> [3,5] and [9,9]; reefer-09: [0,0]; in order of first appearance
        assertThat(confirmations).extracting(StorageConfirmations.Confirmation::thingName)
                .containsExactly("reefer-07", "reefer-09");
        assertThat(new String(confirmations.get(0).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"stored\":[[3,5],[9,9]]}");
        assertThat(new String(confirmations.get(1).payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"stored\":[[0,0]]}");
    }

    @Test
    void noticesRoundTripAndGarbageIsRefused() {
        var s = new DeadLetterSettlements.Settlement("reefer-07", 42, "BAD_SIGNATURE");
        assertThat(DeadLetterSettlements.toJson(s))
                .isEqualTo("{\"thingName\":\"reefer-07\",\"sequence\":42,\"reason\":\"BAD_SIGNATURE\"}");
        assertThat(DeadLetterSettlements.fromJson(DeadLetterSettlements.toJson(s))).isEqualTo(s);
        assertThatThrownBy(() -> DeadLetterSettlements.fromJson("{\"sequence\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterSettlements.fromJson("{\"thingName\":\"a/b\",\"sequence\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNoticeIsSentOnlyAfterTheLetterIsKeptAndItsFailureDoesNotFailTheRecord() {
        List<String> order = new ArrayList<>();
        DeadLetter edge = letter("{\"wb_route\":\"waybill-edge/reefer-07\",\"sequence\":12}");
        SettlingDeadLetterSink sink = new SettlingDeadLetterSink(l -> order.add("letter"),
                s -> order.add("notice " + s.thingName() + " " + s.sequence()));
        sink.send(edge);
        sink.send(letter("{\"wb_route\":\"coldchainco/CC-0009\",\"sequence\":1}"));
        assertThat(order).containsExactly("letter", "notice reefer-07 12", "letter");

        DeadLetterSink refusing = l -> {
            throw new TransientDependencyException("dead-letter queue", "throttled", null);
        };
        List<String> notices = new ArrayList<>();
        SettlingDeadLetterSink refused = new SettlingDeadLetterSink(refusing, s -> notices.add(s.thingName()));
        assertThatThrownBy(() -> refused.send(edge)).isInstanceOf(TransientDependencyException.class);
        assertThat(notices).isEmpty();

        SettlingDeadLetterSink lossy = new SettlingDeadLetterSink(l -> { }, s -> {
            throw new IllegalStateException("queue down");
        });
        lossy.send(edge);
        assertThat(lossy.noticesFailed()).isEqualTo(1);
        assertThat(lossy.noticesSent()).isZero();
    }
}
