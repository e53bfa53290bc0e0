package io.waybill.edge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ConveyorJammed;
import io.waybill.edge.trace.GoldenTraces;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conveyor jam samples in {@code events-samples/raw/waybill-edge/} (which the cloud side's adapter and contract
 * tests use) are exactly what this module sends for the golden conveyor shift: thing {@code dc-hamburg-01}, facility
 * GLN {@code 4012345000009}, motor current in A, default detector settings, a fresh sequence.
 */
class ConveyorJamSamplesTest {

    @Test
    void rawConveyorJamSamplesAreWhatTheEdgeSendsForTheGoldenShift() throws Exception {
        ConveyorEdgeModel model = new ConveyorEdgeModel(new ConveyorConfig("dc-hamburg-01", "4012345000009",
                ConveyorJammed.SignalUnit.A, JamConfig.defaults()), new SequenceCounter(0));
        List<EdgeMessage> sent = new ArrayList<>();
        GoldenTraces.conveyorShift().readings().forEach(r -> sent.addAll(model.accept(r)));
        assertThat(sent).hasSize(2);

        String[] samples = {"raw/waybill-edge/conveyor-jam-detected.json", "raw/waybill-edge/conveyor-jam-cleared.json"};
        for (int i = 0; i < samples.length; i++) {
            ObjectNode raw = (ObjectNode) SampleCatalog.json(samples[i]).deepCopy();
            assertThat(raw.path("wb_route").asText()).isEqualTo("waybill-edge/dc-hamburg-01");
            raw.remove(List.of("wb_route", "wb_received_ms"));
            JsonNode edge = CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toBytes(sent.get(i)));
            assertThat(raw).as(samples[i]).isEqualTo(edge);
        }
    }
}
