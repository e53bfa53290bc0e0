package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.waybill.domain.coldchain.BreachReason;
import io.waybill.domain.coldchain.ExposureAssessment;
import io.waybill.domain.coldchain.ExposureReading;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.incident.ShipmentIncident;

/** Issue 9 item 17: an incident in the listing says why it breaches, with millisecond timestamps. */
class OperationsCommandsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void anMktBreachWithinTheTorBudgetSaysItIsTheMkt() {
        // vaccines-2-8 (TOR budget 60 min, MKT limit 8 °C): 50 min at 12 °C, then 10 min at 8 °C (in band).
        // TOR 50 min is within budget; MKT >= the time-weighted mean (12*50 + 8*10) / 60 = 11.3 °C > 8 °C:
        // the only reason is MKT_ABOVE_LABEL, which the decision's summary ("50m00s out of range (1h00m allowed)")
        // does not show.
        List<ExposureReading> readings = List.of(ExposureReading.of(T0, 12),
                ExposureReading.of(T0.plusSeconds(50 * 60), 8), ExposureReading.of(T0.plusSeconds(60 * 60), 8));
        ProductClass vaccines = ProductClass.VACCINES_2_8;
        List<BreachReason> reasons = ExposureAssessment.of(vaccines.band(), vaccines.policy(), readings).verdict()
                .reasons();
        ShipmentIncident incident = ShipmentIncident.open("cold-chain/106141412345678908/vaccines-2-8",
                "106141412345678908", "COLD_CHAIN_BREACH", "MAJOR", "MAJOR breach of vaccines-2-8 (2..8 °C): 50m00s"
                        + " out of range (1h00m allowed), 200.0 °C·min above, 0.0 °C·min below, peak 12.00 °C",
                T0.plusSeconds(3600), T0.plusSeconds(3600), 0);

        String text = OperationsCommands.describe(incident, reasons, T0.plusSeconds(7200));

        assertThat(text).contains("opened 2026-11-21T09:00:00.000Z (1h00m ago)");
        List<String> why = text.lines().filter(l -> l.trim().startsWith("why: ")).toList();
        assertThat(why).hasSize(1);
        assertThat(why.get(0)).startsWith("    why: MKT_ABOVE_LABEL (MAJOR): ");
        assertThat(OperationsCommands.productClass(incident)).isEqualTo(vaccines);
    }

    @Test
    void anIncidentWithoutStoredEvidenceSaysSo() {
        ShipmentIncident incident = ShipmentIncident.open("cold-chain/106141412345678908/vaccines-2-8",
                "106141412345678908", "COLD_CHAIN_BREACH", "MINOR", "s", T0, T0, 0).acknowledge(T0.plusMillis(1500));

        String text = OperationsCommands.describe(incident, null, T0.plusSeconds(60));

        assertThat(text).contains("why: no stored evidence for 106141412345678908 to judge")
                .contains("acknowledged 2026-11-21T08:00:01.500Z");
    }

    @Test
    void aLaterEpisodesIncidentIsJudgedWithTheProductClassItsIdNames() {
        ShipmentIncident second = ShipmentIncident.open("cold-chain/106141412345678908/frozen/episode-2",
                "106141412345678908", "COLD_CHAIN_BREACH", "MINOR", "s", T0, T0, 0);

        assertThat(OperationsCommands.productClass(second).name()).isEqualTo("frozen");
    }
}
