package io.waybill.local.demo;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The forecasting section's own oracles: the live traffic's demand lines, the GTIN of an SGTIN, and the seasonal-naive
 * baseline, each checked against values worked out by hand.
 */
class ForecastSectionTest {

    @Test
    void generatedTripsImplySixUnitsEachOfTheRegularSkuLeavingTheOriginDcOnTheTripDay() {
        GeneratedTraffic traffic = new TrafficGenerator(42, 3, 5, 3, 2).generate();
        List<ForecastSection.Line> lines = ForecastSection.expectedLines(traffic);
        // each trip: one dock-door read of 6 SGTINs 0614141.812345.(10000 + 100k + c), departing ORIGIN_DC
        // (0614141 00001 + check digit 2) on 2026-11-26: one line of 6 units per trip, resends counted once
        assertThat(lines).hasSize(3);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.series()).isEqualTo("80614141123458@0614141000012");
            assertThat(l.day()).isEqualTo(LocalDate.of(2026, 11, 26));
            assertThat(l.epcs()).hasSize(6).allSatisfy(e -> assertThat(e).startsWith("urn:epc:id:sgtin:0614141.812345."));
        });
        assertThat(lines.stream().map(ForecastSection.Line::sscc).toList())
                .containsExactlyInAnyOrderElementsOf(traffic.shipments());
        assertThat(ForecastSection.liveDay()).isEqualTo(LocalDate.of(2026, 11, 26));
    }

    @Test
    void gtinOfAnSgtinWorkedByHand() {
        // TDS example: 0614141.812345 -> 80614141123458
        assertThat(ForecastSection.gtinOf("urn:epc:id:sgtin:0614141.812345.6789")).isEqualTo("80614141123458");
        // 8061414112346: 3*6 + 4 + 3*3 + 2 + 3*1 + 1 + 3*4 + 1 + 3*4 + 1 + 3*6 + 0 + 3*8 = 105 -> check digit 5
        assertThat(ForecastSection.gtinOf("urn:epc:id:sgtin:0614141.812346.1")).isEqualTo("80614141123465");
    }

    @Test
    void seasonalNaiveRepeatsTheLastWeekAndScalesByTheWeeklyDifference() {
        // two weeks of history: week 2 = week 1 + 2 on every day -> weekly scale 2
        double[] history = {1, 2, 3, 4, 5, 6, 7, 3, 4, 5, 6, 7, 8, 9};
        // actuals: the last week + 1 on every day, for 7 days -> absolute error 1 each day -> MASE 1 / 2
        double[] actuals = {4, 5, 6, 7, 8, 9, 10};
        assertThat(ForecastSection.maseScale(history)).isCloseTo(2.0, within(1e-12));
        assertThat(ForecastSection.seasonalNaiveMase(history, actuals)).isCloseTo(0.5, within(1e-12));
        // under two weeks: plain differences, |1|,|1|,|-2| -> 4/3
        assertThat(ForecastSection.maseScale(new double[] {1, 2, 3, 1})).isCloseTo(4.0 / 3, within(1e-12));
    }
}
