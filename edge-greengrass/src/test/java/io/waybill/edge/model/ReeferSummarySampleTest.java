package io.waybill.edge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.edge.trace.ReeferTrace;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reefer samples in {@code events-samples/raw/waybill-edge/} (which the cloud side's adapter and contract tests
 * use) are exactly what this module sends for the golden reefer trip with SSCC {@code 106141410000000729}:
 * {@code summary.json} is message 6 (the 8-hour summary with the 40-minute unit failure, its exposure statistics
 * sparse as on the wire), {@code alert-started.json} message 4.
 */
class ReeferSummarySampleTest {

    @Test
    void rawReeferSamplesAreWhatTheEdgeSendsForTheGoldenTrip() throws Exception {
        ReeferTrace trip = GoldenTraces.reeferTrip();
        ReeferEdgeModel model = new ReeferEdgeModel(trip.reeferConfig().shipmentSscc("106141410000000729").build());
        List<EdgeMessage> sent = new ArrayList<>(model.acceptAll(trip.readings()));
        sent.addAll(model.flush());

        for (String[] sample : new String[][] {{"raw/waybill-edge/summary.json", "6"},
                {"raw/waybill-edge/alert-started.json", "4"}}) {
            ObjectNode raw = (ObjectNode) SampleCatalog.json(sample[0]).deepCopy();
            assertThat(raw.path("wb_route").asText()).isEqualTo("waybill-edge/reefer-07");
            raw.remove(List.of("wb_route", "wb_received_ms"));
            JsonNode edge = CanonicalEventJson.MAPPER.readTree(
                    EdgeMessageJson.toBytes(sent.get(Integer.parseInt(sample[1]))));
            assertThat(raw).as(sample[0]).isEqualTo(edge);
        }
    }
}
