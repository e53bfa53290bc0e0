package io.waybill.edgeack;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.waybill.domain.device.DeadLetterSettlements;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.SettlingDeadLetterSink;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead-lettered edge message ends up confirmed to the device that sent it, and stays in the dead-letter store: ingest's
 * sink (letters kept in a list standing for the queue, notices in another standing for the notices queue) feeding this
 * handler. The expected topic and ranges are written out by hand from the sample.
 */
class DeadLetterSettlementHandlerTest {
    private static int ids;

    private static SQSEvent.SQSMessage message(String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("m-" + (++ids));
        m.setBody(body);
        return m;
    }

    private static SQSEvent event(List<SQSEvent.SQSMessage> messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(messages);
        return e;
    }

    @Test
    void aRejectedEdgeMessageIsKeptInTheDeadLetterStoreAndConfirmedToItsDevice() throws Exception {
        byte[] payload;
        // events-samples: wb_route waybill-edge/reefer-07, deviceId reefer-08 (refused: IDENTITY_MISMATCH), sequence 6
        try (InputStream in = getClass().getResourceAsStream("/samples/malformed/identity-mismatch-waybill-edge.json")) {
            payload = in.readAllBytes();
        }
        List<DeadLetter> deadLetterStore = new ArrayList<>();
        List<SQSEvent.SQSMessage> noticesQueue = new ArrayList<>();
        SettlingDeadLetterSink ingestSink = new SettlingDeadLetterSink(deadLetterStore::add,
                s -> noticesQueue.add(message(DeadLetterSettlements.toJson(s))));
        ingestSink.send(new DeadLetter(payload, RejectionReason.IDENTITY_MISMATCH, "deviceId names reefer-08",
                "waybill-edge", new RecordOrigin("telemetry", "shardId-000000000000", "49", "reefer-07"),
                Instant.EPOCH, Instant.EPOCH));

        Map<String, String> published = new LinkedHashMap<>();
        SQSBatchResponse response = new DeadLetterSettlementHandler("dev",
                (topic, body) -> published.put(topic, new String(body, StandardCharsets.UTF_8)), null)
                .handleRequest(event(noticesQueue), null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).containsExactly(Map.entry("cmd/waybill/dev/reefer-07/stored", "{\"stored\":[[6,6]]}"));
        assertThat(deadLetterStore).singleElement().satisfies(l -> {
            assertThat(l.payload()).isEqualTo(payload);
            assertThat(l.reason()).isEqualTo(RejectionReason.IDENTITY_MISMATCH);
        });
    }

    @Test
    void aDeviceWhoseConfirmationFailsGetsItsNoticesBackAndTheOthersAreConfirmed() {
        SQSEvent.SQSMessage a1 = message("{\"thingName\":\"reefer-07\",\"sequence\":3,\"reason\":\"UNASSIGNED\"}");
        SQSEvent.SQSMessage b = message("{\"thingName\":\"reefer-08\",\"sequence\":1,\"reason\":\"UNASSIGNED\"}");
        SQSEvent.SQSMessage a2 = message("{\"thingName\":\"reefer-07\",\"sequence\":4,\"reason\":\"UNASSIGNED\"}");
        SQSEvent.SQSMessage junk = message("not a notice");
        List<String> published = new ArrayList<>();
        SQSBatchResponse response = new DeadLetterSettlementHandler("dev", (topic, body) -> {
            if (topic.contains("reefer-07")) {
                throw new DeviceAcknowledgements.AcknowledgementFailedException("throttled", null);
            }
            published.add(topic + " " + new String(body, StandardCharsets.UTF_8));
        }, null).handleRequest(event(List.of(a1, b, a2, junk)), null);
        assertThat(published).containsExactly("cmd/waybill/dev/reefer-08/stored {\"stored\":[[1,1]]}");
        // reefer-07's two notices come back; the unreadable one is dropped, not retried
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(a1.getMessageId(), a2.getMessageId());
    }
}
