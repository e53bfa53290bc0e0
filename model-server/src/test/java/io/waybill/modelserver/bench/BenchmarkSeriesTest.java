package io.waybill.modelserver.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped data set as convert.R printed it when converting (model-server/data/convert.log). */
class BenchmarkSeriesTest {
    static final Path DATA = Path.of("data/series.csv");

    static List<BenchmarkSeries> shipped() {
        return BenchmarkSeries.read(DATA);
    }

    @Test
    void everyShippedSeriesIsMonthlyOrQuarterlyAndLongEnoughForThreeSeasonsAndTheHorizon() {
        List<BenchmarkSeries> all = shipped();
        assertThat(all).hasSize(64);
        assertThat(all).extracting(BenchmarkSeries::name).doesNotHaveDuplicates();
        assertThat(all.stream().filter(s -> s.frequency() == 12).count()).isEqualTo(24);
        assertThat(all.stream().filter(s -> s.frequency() == 4).count()).isEqualTo(40);
        for (BenchmarkSeries s : all) {
            assertThat(s.frequency()).as(s.name()).isIn(4, 12);
            assertThat(s.horizon()).as(s.name()).isEqualTo(s.frequency() == 12 ? 18 : 8);
            assertThat(s.values().length).as(s.name()).isGreaterThanOrEqualTo(3 * s.frequency() + s.horizon());
            assertThat(s.values()[0]).as(s.name() + " starts with a value").isNotNaN();
            assertThat(s.values()[s.values().length - 1]).as(s.name() + " ends with a value").isNotNaN();
            assertThat(s.fittingPart().length + s.heldOut().length).isEqualTo(s.values().length);
        }
    }

    @Test
    void valuesMatchWhatRPrintedWhenConverting() {
        Map<String, BenchmarkSeries> byName = shipped().stream()
                .collect(Collectors.toMap(BenchmarkSeries::name, Function.identity()));
        // name, frequency, start, length, first, last as convert.R printed them (convert.log: 24 monthly, 40 quarterly)
        check(byName.get("AirPassengers"), 12, "1949-1", 144, 112, 432);
        check(byName.get("UKInflation.actual"), 4, "1972-1", 54, 0.99, 3.11);
        check(byName.get("DutchSales"), 12, "1960-5", 425, 14, 115);
        check(byName.get("USMacroG.inflation"), 4, "1950-2", 203, 4.5071, 0.6146);  // leading NA trimmed
        check(byName.get("USMacroSWM.expenditure"), 12, "1959-1", 552, 20.32, 109.41);
        check(byName.get("ArgentinaCPI"), 4, "1970-1", 80, 1.01, 6611700000.0);
        check(byName.get("austres"), 4, "1971-2", 89, 13067.3, 17661.5);
        // AirPassengers' first six months as R prints them: 112 118 132 129 121 135
        assertThat(Arrays.copyOf(byName.get("AirPassengers").values(), 6)).containsExactly(112, 118, 132, 129, 121, 135);
        // the rule's exclusions: not shippable, duplicate, indicator
        assertThat(byName).doesNotContainKeys("USStocksSW.returns", "sunspots", "presidents", "BondYield",
                "UKInflation.expected", "UKDriverDeaths", "Seatbelts.law");
    }

    private static void check(BenchmarkSeries s, int frequency, String start, int length, double first, double last) {
        assertThat(s).isNotNull();
        assertThat(s.frequency()).isEqualTo(frequency);
        assertThat(s.start()).isEqualTo(start);
        assertThat(s.values()).hasSize(length);
        assertThat(s.values()[0]).isEqualTo(first);
        assertThat(s.values()[length - 1]).isEqualTo(last);
    }

    @Test
    void missingValuesAreReadAsNaNAndAWrongLengthIsRefused(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "\"name\",\"source\",\"frequency\",\"start\",\"length\",\"values\"\n"
                + "\"a\",\"test\",4,\"2000-1\",3,\"1.5 NaN 3\"\n");
        BenchmarkSeries s = BenchmarkSeries.read(csv).get(0);
        assertThat(s.values()[0]).isEqualTo(1.5);
        assertThat(s.values()[1]).isNaN();
        assertThat(s.values()[2]).isEqualTo(3);

        Files.writeString(csv, "\"name\",\"source\",\"frequency\",\"start\",\"length\",\"values\"\n"
                + "\"a\",\"test\",4,\"2000-1\",4,\"1 2 3\"\n");
        assertThatThrownBy(() -> BenchmarkSeries.read(csv)).hasMessageContaining("states 4 values, has 3");
    }
}
