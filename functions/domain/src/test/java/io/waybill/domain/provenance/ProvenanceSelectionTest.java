package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.TemperatureBreached;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvenanceSelectionTest {
    private static CanonicalEvent fixture(String name) throws Exception {
        return CanonicalEventJson.fromJson((ObjectNode) CanonicalEventJson.MAPPER.readTree(
                Files.readString(Path.of("../../schemas/src/test/resources/valid/" + name + ".json"))));
    }

    /** The schema's breach example (a device's detection) made into a cloud decision. */
    private static CanonicalEvent decided(CanonicalEvent detection) {
        TemperatureBreached d = (TemperatureBreached) detection.data();
        TemperatureBreached.Decision decision = new TemperatureBreached.Decision("pharma-2-8", "MAJOR",
                List.of("TOR_EXCEEDED"), Instant.parse("2025-03-14T10:00:00Z"), Instant.parse("2025-03-14T11:00:00Z"),
                12, 3600, 42.0, 0.0, 8.1, "incident-1", 0);
        return new CanonicalEvent("decision-1", "urn:waybill:coldchain:policy", detection.type(), detection.time(),
                detection.subject(), null, null, null, detection.processingtime(), 0, false, "coldchain", null,
                new TemperatureBreached(d.shipmentSscc(), d.deviceId(), d.observedCelsius(), d.limitCelsius(),
                        d.limit(), d.durationSeconds(), null, decision));
    }

    @Test
    void theDefaultSelectsCustodyTransfersAndColdChainDecisionsOnly() throws Exception {
        ProvenanceSelection rule = ProvenanceSelection.defaults();
        CanonicalEvent detection = fixture("waybill.temperature.breached.v1");
        assertThat(rule.selects(fixture("waybill.custody.transferred.v1"))).isTrue();
        assertThat(rule.selects(decided(detection))).isTrue();
        assertThat(rule.selects(detection)).as("a device's own detection").isFalse();
        assertThat(rule.selects(fixture("waybill.temperature.observed.v1"))).isFalse();
        assertThat(rule.selects(fixture("waybill.inventory.observed.v1"))).isFalse();
    }

    @Test
    void anyNamedTypeIsSelectedWholeButTelemetryAndTheAnchorersOwnAreRefused() throws Exception {
        ProvenanceSelection rule = ProvenanceSelection.parse("coldchain-decision, waybill.certificate.verified.v1");
        assertThat(rule.selects(fixture("waybill.custody.transferred.v1"))).isFalse();
        assertThat(rule.selects(decided(fixture("waybill.temperature.breached.v1")))).isTrue();
        for (String refused : List.of("waybill.temperature.observed.v1", "waybill.shipment.located.v1",
                "waybill.inventory.observed.v1", "waybill.provenance.recorded.v1", "waybill.temperature.breached.v1",
                "everything", "")) {
            assertThatThrownBy(() -> ProvenanceSelection.parse("custody," + refused).selects(null))
                    .as(refused).isInstanceOf(refused.isEmpty() ? NullPointerException.class
                            : IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ProvenanceSelection.parse(" , ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("selects nothing");
    }
}
