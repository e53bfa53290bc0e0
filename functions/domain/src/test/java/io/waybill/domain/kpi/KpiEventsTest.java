package io.waybill.domain.kpi;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KpiEventsTest {

    @Test
    void parsesTheStoredEventJsonBackToTheSameEvent() {
        for (CanonicalEvent e : KpiFixtures.networkEvents()) {
            assertThat(KpiEvents.parse(CanonicalEventJson.toJsonString(e))).isEqualTo(e);
        }
    }

    @Test
    void parsesTheCanonicalSample() {
        String json = new String(SampleCatalog.bytes("canonical/swiftlog/departed.json"), StandardCharsets.UTF_8);
        CanonicalEvent e = KpiEvents.parse(json);
        assertThat(e.time()).isEqualTo(Instant.parse("2026-11-27T08:01:00Z"));
        assertThat(e.data()).isInstanceOf(ShipmentDeparted.class);
        assertThat(((ShipmentDeparted) e.data()).fromGln()).isEqualTo(KpiFixtures.HUB);
        SupplyChainKpis k = new KpiCalculator().compute(List.of(e), List.of(), null, null, e.time().plusSeconds(60));
        assertThat(k.lanes().keySet()).containsExactly(new Lane(KpiFixtures.HUB, Lane.UNKNOWN_GLN));
    }

    @Test
    void rejectsWhatIsNotACanonicalEvent() {
        assertThatThrownBy(() -> KpiEvents.parse("{not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KpiEvents.parse("{\"type\":\"nope\"}")).isInstanceOf(IllegalArgumentException.class);
    }
}
