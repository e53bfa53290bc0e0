package io.waybill.local.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.waybill.domain.kpi.KpiCalculator;
import io.waybill.domain.kpi.ShipmentSchedule;
import io.waybill.domain.kpi.SupplyChainKpis;

/** EMF output without the emulators. */
class KpiMetricsTest {

    @Test
    void percentagesAndUnitsFollowTheKpis() throws Exception {
        Instant asOf = KpiReportTest.AS_OF;
        ShipmentSchedule plan = ShipmentSchedule.empty()
                .withPlan(KpiReportTest.S2, KpiReportTest.at("08:50"), KpiReportTest.at("15:20"))
                .withPlan(KpiReportTest.S1, KpiReportTest.at("07:00"), null);
        SupplyChainKpis kpis = new KpiCalculator().compute(KpiReportTest.events(), KpiReportTest.incidents(), Map.of(),
                plan, asOf);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int documents = KpiMetrics.toStream(new PrintStream(bytes, true, StandardCharsets.UTF_8)).emit(kpis);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(documents).isEqualTo(6);
        assertThat(lines).hasSize(6);
        JsonNode lane = new ObjectMapper().readTree(lines.get(0)); // lanes first, sorted: DC->HUB
        assertThat(lane.path("Lane").asText()).isEqualTo(KpiReportTest.DC + "->" + KpiReportTest.HUB);
        // departures: S1 08:00 vs 07:00 late, S2 09:00 vs 08:50 on time -> 50 %; S2 is the only judged arrival
        // (its last leg, 15:00 <= 15:20 + 15 min) -> 100 %.
        assertThat(lane.path("OnTimeDeparturePercent").asDouble()).isEqualTo(50.0);
        assertThat(lane.path("OnTimeArrivalPercent").asDouble()).isEqualTo(100.0);
        JsonNode metrics = lane.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics");
        assertThat(metrics.toString()).contains("{\"Name\":\"OnTimeArrivalPercent\",\"Unit\":\"Percent\"}")
                .contains("{\"Name\":\"TransitTimeP50Seconds\",\"Unit\":\"Seconds\"}")
                .contains("{\"Name\":\"SpoilageIncidents\",\"Unit\":\"Count\"}");
        assertThat(lane.path("TransitTimeMeanSeconds").asDouble()).isEqualTo(Duration.ofHours(5).toSeconds());
    }
}
