package io.waybill.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.waybill.domain.kpi.KpiCalculator;
import io.waybill.domain.kpi.ShipmentSchedule;
import io.waybill.domain.kpi.SupplyChainKpis;

/** EMF output, without AWS (moved here from local-runtime with the writer). */
class KpiMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SupplyChainKpis kpis() {
        ShipmentSchedule plan = ShipmentSchedule.empty()
                .withPlan(KpiFixtures.S2, KpiFixtures.at("08:50"), KpiFixtures.at("15:20"))
                .withPlan(KpiFixtures.S1, KpiFixtures.at("07:00"), null);
        return new KpiCalculator().compute(KpiFixtures.events(), KpiFixtures.incidents(), Map.of(), plan,
                KpiFixtures.AS_OF);
    }

    private static List<String> emit(java.util.function.Function<PrintStream, KpiMetrics> writer, int expected) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int documents = writer.apply(new PrintStream(bytes, true, StandardCharsets.UTF_8)).emit(kpis());
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(documents).isEqualTo(expected);
        assertThat(lines).hasSize(expected);
        return lines;
    }

    @Test
    void percentagesAndUnitsFollowTheKpis() throws Exception {
        List<String> lines = emit(KpiMetrics::toStream, 6); // 3 lanes + 3 facilities
        JsonNode lane = JSON.readTree(lines.get(0)); // lanes first, sorted: DC->HUB
        assertThat(lane.path("Lane").asText()).isEqualTo(KpiFixtures.DC + "->" + KpiFixtures.HUB);
        // departures: S1 08:00 vs 07:00 late, S2 09:00 vs 08:50 on time -> 50 %; S2 is the only judged arrival
        // (its last leg, 15:00 <= 15:20 + 15 min) -> 100 %.
        assertThat(lane.path("OnTimeDeparturePercent").asDouble()).isEqualTo(50.0);
        assertThat(lane.path("OnTimeArrivalPercent").asDouble()).isEqualTo(100.0);
        JsonNode directive = lane.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(directive.path("Namespace").asText()).isEqualTo("Waybill");
        assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Lane\"]]");
        assertThat(directive.path("Metrics").toString())
                .contains("{\"Name\":\"OnTimeArrivalPercent\",\"Unit\":\"Percent\"}")
                .contains("{\"Name\":\"TransitTimeP50Seconds\",\"Unit\":\"Seconds\"}")
                .contains("{\"Name\":\"SpoilageIncidents\",\"Unit\":\"Count\"}");
        assertThat(lane.path("TransitTimeMeanSeconds").asDouble()).isEqualTo(Duration.ofHours(5).toSeconds());
        assertThat(lane.path("asOf").asText()).isEqualTo(KpiFixtures.AS_OF.toString());
    }

    @Test
    void aServiceAddsTheServiceDimensionAndTheNamespaceIsTheOneGiven() throws Exception {
        List<String> lines = emit(out -> KpiMetrics.toStream(out, "WaybillTest", "kpi"), 6);
        for (String line : lines) {
            JsonNode d = JSON.readTree(line);
            JsonNode directive = d.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("WaybillTest");
            assertThat(directive.path("Dimensions").toString())
                    .isIn("[[\"Service\",\"Lane\"]]", "[[\"Service\",\"Facility\"]]");
            assertThat(d.path("Service").asText()).isEqualTo("kpi");
        }
        JsonNode hub = lines.stream().map(KpiMetricsTest::parse)
                .filter(d -> KpiFixtures.HUB.equals(d.path("Facility").asText())).findFirst().orElseThrow();
        assertThat(hub.path("DwellTimeP50Seconds").asDouble()).isEqualTo(7200);
        assertThat(hub.path("ShipmentsPresent").asDouble()).isEqualTo(1);
    }

    @Test
    void namespaceComesFromPowertoolsVariableWithWaybillAsDefault() {
        assertThat(KpiMetrics.namespaceOf(Map.of())).isEqualTo(KpiMetrics.NAMESPACE);
        assertThat(KpiMetrics.namespaceOf(Map.of(KpiMetrics.ENV_NAMESPACE, " "))).isEqualTo("Waybill");
        assertThat(KpiMetrics.namespaceOf(Map.of(KpiMetrics.ENV_NAMESPACE, "WaybillStaging")))
                .isEqualTo("WaybillStaging");
    }

    @Test
    void fromEnvironmentWritesThroughPowertoolsToStdout() throws Exception {
        // surefire sets AWS_EMF_ENVIRONMENT=Local: Powertools' EMF environment prints each document to stdout, as in
        // Lambda (where stdout is the function's log).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int documents;
        try {
            documents = KpiMetrics.fromEnvironment(Map.of(KpiMetrics.ENV_NAMESPACE, "Waybill",
                    KpiMetrics.ENV_SERVICE, "kpi")).emit(kpis());
        } finally {
            System.setOut(stdout);
        }
        List<JsonNode> docs = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"_aws\""))
                .map(KpiMetricsTest::parse).toList();
        assertThat(documents).isEqualTo(6);
        assertThat(docs).hasSize(6).allSatisfy(d -> {
            JsonNode directive = d.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(directive.path("Namespace").asText()).isEqualTo("Waybill");
            assertThat(directive.path("Dimensions").toString())
                    .isIn("[[\"Service\",\"Lane\"]]", "[[\"Service\",\"Facility\"]]");
            assertThat(d.path("Service").asText()).isEqualTo("kpi");
        });
    }

    @Test
    void noLanesNoFacilitiesNoDocuments() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SupplyChainKpis empty = new KpiCalculator().compute(List.of(), List.of(), Map.of(), null, KpiFixtures.AS_OF);
        assertThat(KpiMetrics.toStream(new PrintStream(bytes, true, StandardCharsets.UTF_8)).emit(empty)).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
