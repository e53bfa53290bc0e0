package io.waybill.domain.device;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Confirmations worked out by hand from the sequences of real-shaped canonical events (events-samples). */
class StorageConfirmationsTest {
    /** The canonical edge summary sample, as another device's message {@code sequence}. */
    private static CanonicalEvent edge(String thing, long sequence) throws Exception {
        try (InputStream in = StorageConfirmationsTest.class.getResourceAsStream(
                "/samples/canonical/waybill-edge/summary.json")) {
            ObjectNode n = (ObjectNode) CanonicalEventJson.MAPPER.readTree(in);
            n.put("source", "urn:waybill:waybill-edge:" + thing).put("id", "seq-" + sequence).put("sequence", sequence);
            return CanonicalEventJson.fromJson(n);
        }
    }

    private static CanonicalEvent partnerEvent() throws Exception {
        try (InputStream in = StorageConfirmationsTest.class.getResourceAsStream(
                "/samples/canonical/waybill-edge/summary.json")) {
            ObjectNode n = (ObjectNode) CanonicalEventJson.MAPPER.readTree(in);
            n.put("source", "urn:waybill:swiftlog:SWIFTLOG").put("adapter", "swiftlog").put("sequence", 4);
            return CanonicalEventJson.fromJson(n);
        }
    }

    private static String payload(StorageConfirmations.Confirmation c) {
        return new String(c.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void eachDeviceGetsExactlyItsStoredSequencesAsMergedRangesWhateverTheOrder() throws Exception {
        List<CanonicalEvent> batch = new ArrayList<>();
        // reefer-07: 10 stored before 9 (a retry), 12 missing (dropped by its spool), 11 twice (a resend)
        for (long s : new long[] {10, 9, 11, 13, 11, 14}) {
            batch.add(edge("reefer-07", s));
        }
        batch.add(edge("reefer-08", 0));
        batch.add(partnerEvent());
        List<StorageConfirmations.Confirmation> out = StorageConfirmations.of(batch);
        assertThat(out).extracting(StorageConfirmations.Confirmation::thingName).containsExactly("reefer-07",
                "reefer-08");
        assertThat(payload(out.get(0))).isEqualTo("{\"stored\":[[9,11],[13,14]]}");
        assertThat(payload(out.get(1))).isEqualTo("{\"stored\":[[0,0]]}");
    }

    @Test
    void noEdgeEventsNoConfirmation() throws Exception {
        assertThat(StorageConfirmations.of(List.of(partnerEvent()))).isEmpty();
        assertThat(StorageConfirmations.of(List.of())).isEmpty();
    }

    @Test
    void topicIsTheThingsOwnStoredTopic() {
        assertThat(StorageConfirmations.topic("prod", "reefer-07")).isEqualTo("cmd/waybill/prod/reefer-07/stored");
    }
}
