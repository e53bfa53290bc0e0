package io.waybill.edgeack;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeAcknowledgementHandlerTest {
    /** A canonical-stream record: the edge summary sample (events-samples) as {@code thing}'s message {@code seq}. */
    private static KinesisEvent.KinesisEventRecord record(String thing, long seq) throws Exception {
        try (InputStream in = EdgeAcknowledgementHandlerTest.class.getResourceAsStream(
                "/samples/canonical/waybill-edge/summary.json")) {
            ObjectNode n = (ObjectNode) CanonicalEventJson.MAPPER.readTree(in);
            n.put("source", "urn:waybill:waybill-edge:" + thing).put("id", "seq-" + seq).put("sequence", seq);
            KinesisEvent.Record k = new KinesisEvent.Record();
            k.setData(ByteBuffer.wrap(CanonicalEventJson.MAPPER.writeValueAsBytes(n)));
            k.setSequenceNumber("4960000000000000000000000000000000000000000000" + String.format("%04d", seq));
            KinesisEvent.KinesisEventRecord r = new KinesisEvent.KinesisEventRecord();
            r.setKinesis(k);
            r.setEventID("shardId-000000000000:" + k.getSequenceNumber());
            return r;
        }
    }

    private static KinesisEvent event(List<KinesisEvent.KinesisEventRecord> records) {
        KinesisEvent e = new KinesisEvent();
        e.setRecords(records);
        return e;
    }

    @Test
    void publishesEachDevicesStoredSequencesOnItsOwnStageTopic() throws Exception {
        Map<String, String> published = new LinkedHashMap<>();
        EdgeAcknowledgementHandler handler = new EdgeAcknowledgementHandler("prod",
                (topic, payload) -> published.put(topic, new String(payload, StandardCharsets.UTF_8)), null);
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (long s : new long[] {5, 3, 4, 8}) {
            records.add(record("reefer-07", s));
        }
        records.add(record("reefer-09", 0));
        StreamsEventResponse response = handler.handleRequest(event(records), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).containsExactly(
                Map.entry("cmd/waybill/prod/reefer-07/stored", "{\"stored\":[[3,5],[8,8]]}"),
                Map.entry("cmd/waybill/prod/reefer-09/stored", "{\"stored\":[[0,0]]}"));
    }

    @Test
    void aConfirmationThatCannotBePublishedDoesNotHoldUpTheOthersNorTheStream() throws Exception {
        List<String> published = new ArrayList<>();
        EdgeAcknowledgementHandler handler = new EdgeAcknowledgementHandler("dev", (topic, payload) -> {
            if (topic.contains("reefer-07")) {
                throw new DeviceAcknowledgements.AcknowledgementFailedException("throttled", null);
            }
            published.add(topic);
        }, null);
        StreamsEventResponse response = handler.handleRequest(
                event(List.of(record("reefer-07", 1), record("reefer-08", 1))), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published).containsExactly("cmd/waybill/dev/reefer-08/stored");
    }
}
