package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.coldchain.BreachPolicy;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.TemperatureBand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ColdChainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** 5 °C for 10 min, 25 °C for 10 min, closing reading at 30 °C; times in three offsets. */
    private static final List<String> FIVE_THEN_TWENTY_FIVE = List.of(
            "{\"time\": \"2026-03-01T10:00:00+01:00\", \"celsius\": 5}",
            "{\"time\": \"2026-03-01T09:10:00Z\", \"celsius\": 25.0, \"deviceId\": \"logger-7\"}",
            "{\"time\": \"2026-03-01T04:20:00-05:00\", \"celsius\": 30}");

    private record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            assertThat(out.lines()).as("exactly one output line").hasSize(1);
            return JSON.readTree(out);
        }
    }

    private interface Invocation {
        int run(ByteArrayInputStream in, PrintStream out, PrintStream err);
    }

    private static Result invoke(String input, Invocation invocation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = invocation.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result band(String input, double low, double high) {
        return invoke(input, (in, out, err) -> new ColdChainCommand().run(in, out, err, low, high));
    }

    private static Result main(String input, String... args) {
        return invoke(input, (in, out, err) -> ColdChainCommand.main(args, in, out, err));
    }

    private static String lines(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    @Test
    void printsTheFiguresAndTheBareBandVerdict() throws Exception {
        Result r = band(lines(FIVE_THEN_TWENTY_FIVE), 2, 8);

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode o = r.json();
        assertThat(o.path("readings").asInt()).isEqualTo(3);
        assertThat(o.path("firstTime").asText()).isEqualTo("2026-03-01T09:00:00Z");
        assertThat(o.path("lastTime").asText()).isEqualTo("2026-03-01T09:20:00Z");
        assertThat(o.path("coveredSeconds").isIntegralNumber()).isTrue();
        assertThat(o.path("coveredSeconds").asLong()).isEqualTo(1200);
        assertThat(o.path("torSeconds").asLong()).isEqualTo(600);
        assertThat(o.path("torAboveSeconds").asLong()).isEqualTo(600);
        assertThat(o.path("torBelowSeconds").asLong()).isZero();
        assertThat(o.path("degreeMinutesAbove").asDouble()).isCloseTo(170.0, within(1e-9));
        assertThat(o.path("degreeMinutesBelow").asDouble()).isZero();
        // python3: 10000.0/(-math.log((10*math.exp(-10000.0/278.15)+10*math.exp(-10000.0/298.15))/20)) - 273.15
        assertThat(o.path("mktCelsius").asDouble()).isCloseTo(19.69772136370875, within(1e-6));
        assertThat(o.path("maxCelsius").asDouble()).isEqualTo(30.0);
        assertThat(o.path("minCelsius").asDouble()).isEqualTo(5.0);
        assertThat(o.path("band").path("lowCelsius").asDouble()).isEqualTo(2.0);
        assertThat(o.path("band").path("highCelsius").asDouble()).isEqualTo(8.0);
        assertThat(o.path("policy").path("torBudgetSeconds").asLong()).isZero();
        assertThat(o.path("policy").path("hardHighCelsius").isNull()).isTrue();
        JsonNode breach = o.path("breach");
        assertThat(breach.path("breached").asBoolean()).isTrue();
        assertThat(breach.path("severity").asText()).isEqualTo("MAJOR"); // 170 °C·min > 60
        assertThat(breach.path("reasons")).hasSize(1);
        assertThat(breach.path("reasons").get(0).path("code").asText()).isEqualTo("TOR_BUDGET_EXCEEDED");
        assertThat(breach.path("reasons").get(0).path("text").asText()).startsWith("10 min out of 2.0..8.0 °C");
        assertThat(o.has("product")).isFalse();
    }

    @Test
    void badLineIsAnErrorNamingItsLineNumberAndNothingIsPrinted() {
        String input = lines(List.of(FIVE_THEN_TWENTY_FIVE.get(0), "", "{\"time\": \"yesterday\", \"celsius\": 4}",
                FIVE_THEN_TWENTY_FIVE.get(1)));

        Result r = band(input, 2, 8);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(
                "waybill coldchain: line 3: 'time' is not an RFC 3339 timestamp: \"yesterday\"" + System.lineSeparator());
    }

    @Test
    void everyKindOfBadLineIsNamed() {
        String input = lines(List.of(
                "not json",
                "[1, 2]",
                "{\"celsius\": 4}",
                "{\"time\": \"2026-03-01T09:00:00Z\"}",
                "{\"time\": \"2026-03-01T09:00:00Z\", \"celsius\": \"warm\"}",
                "{\"time\": \"2026-03-01T09:00:00\", \"celsius\": 4}",
                "{\"time\": 1772355600, \"celsius\": 4}",
                "{\"time\": \"2026-03-01T09:00:00Z\", \"celsius\": 1e400}",
                "{\"time\": \"2026-03-01T09:00:00Z\", \"celsius\": 4} trailing",
                "{\"time\": \"2026-03-01t09:00:00z\", \"celsius\": null}"));

        Result r = band(input, 2, 8);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> errors = r.err().lines().toList();
        assertThat(errors).hasSize(10);
        assertThat(errors.get(0)).startsWith("waybill coldchain: line 1: not JSON: ");
        assertThat(errors.get(1)).isEqualTo("waybill coldchain: line 2: expected a JSON object "
                + "{\"time\": \"<RFC 3339>\", \"celsius\": <number>}");
        assertThat(errors.get(2)).isEqualTo("waybill coldchain: line 3: missing 'time'");
        assertThat(errors.get(3)).isEqualTo("waybill coldchain: line 4: missing 'celsius'");
        assertThat(errors.get(4)).isEqualTo("waybill coldchain: line 5: 'celsius' is not a number: \"warm\"");
        assertThat(errors.get(5)).isEqualTo(
                "waybill coldchain: line 6: 'time' is not an RFC 3339 timestamp: \"2026-03-01T09:00:00\"");
        assertThat(errors.get(6)).isEqualTo("waybill coldchain: line 7: 'time' is not an RFC 3339 timestamp: 1772355600");
        assertThat(errors.get(7)).isEqualTo("waybill coldchain: line 8: reading at 2026-03-01T09:00:00Z: "
                + "celsius is Infinity, expected a finite number");
        assertThat(errors.get(8)).startsWith("waybill coldchain: line 9: not JSON: ");
        assertThat(errors.get(9)).isEqualTo("waybill coldchain: line 10: 'celsius' is not a number: null");
    }

    @Test
    void manyBadLinesAreCappedWithACount() {
        List<String> bad = Collections.nCopies(ColdChainCommand.MAX_LINE_ERRORS_SHOWN + 5, "{}");

        Result r = band(lines(bad), 2, 8);

        assertThat(r.exit()).isEqualTo(2);
        List<String> errors = r.err().lines().toList();
        assertThat(errors).hasSize(ColdChainCommand.MAX_LINE_ERRORS_SHOWN + 1);
        assertThat(errors.get(errors.size() - 1)).isEqualTo("waybill coldchain: 5 more lines are not readings");
    }

    @Test
    void noReadingsIsNoVerdictButAUsageErrorInOneLine() {
        // Issue 9 item 16: no evidence is not "not breached".
        for (String input : List.of("", "\n  \n\n")) {
            Result r = band(input, 2, 8);

            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().toList()).containsExactly("waybill coldchain: no readings on stdin: no evidence,"
                    + " no verdict (give one JSON line {\"time\": \"<RFC 3339>\", \"celsius\": <number>} per reading)");
        }
    }

    @Test
    void twoReadingsAtTheSameTimeAreNamedAndTheHighestCounts() throws Exception {
        // 10:00 5 °C and 9 °C (line 2), 10:10 5 °C (closing), 10:10 again 5 °C (line 4). Hand-worked: the 9 °C
        // reading counts (the highest), so 10:00-10:10 is out of the 2..8 band: 600 s, 10 min x 1 °C = 10 °C·min.
        Result r = band(lines(List.of(
                "{\"time\": \"2026-03-01T10:00:00Z\", \"celsius\": 5}",
                "{\"time\": \"2026-03-01T10:00:00Z\", \"celsius\": 9}",
                "{\"time\": \"2026-03-01T10:10:00Z\", \"celsius\": 5}",
                "{\"time\": \"2026-03-01T10:10:00Z\", \"celsius\": 5.0}")), 2, 8);

        assertThat(r.exit()).isZero();
        assertThat(r.err().lines().toList()).containsExactly(
                "waybill coldchain: warning: line 2 has the same time as line 1 (2026-03-01T10:00:00Z) but 9 °C instead"
                        + " of 5 °C: one reading per time counts, the highest (9 °C)",
                "waybill coldchain: warning: line 4 repeats the time and value of line 3 (2026-03-01T10:10:00Z, 5 °C):"
                        + " counted once");
        JsonNode o = r.json();
        assertThat(o.path("readings").asInt()).isEqualTo(2);
        assertThat(o.path("torSeconds").asLong()).isEqualTo(600);
        assertThat(o.path("degreeMinutesAbove").asDouble()).isCloseTo(10.0, within(1e-9));
        assertThat(o.path("maxCelsius").asDouble()).isEqualTo(9.0);
    }

    @Test
    void shuffledAndDuplicatedInputGivesTheSameOutput() {
        List<String> readings = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            readings.add(String.format(java.util.Locale.ROOT, "{\"time\": \"2026-03-01T%02d:%02d:%02dZ\", \"celsius\": %.2f}",
                    i / 60 / 60 % 24, i / 60 % 60 + (i % 7), i % 60, 4 + random.nextGaussian() * 3));
        }
        String expected = band(lines(readings), 2, 8).out();
        assertThat(expected).isNotEmpty();

        for (long seed : new long[] {1, 2, 3}) {
            List<String> shuffled = new ArrayList<>(readings);
            shuffled.addAll(readings.subList(0, 50)); // duplicates
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(band(lines(shuffled), 2, 8).out()).isEqualTo(expected);
        }
    }

    @Test
    void mainParsesPolicyOptions() throws Exception {
        Result r = main(lines(FIVE_THEN_TWENTY_FIVE), "coldchain", "--low", "2", "--high", "8",
                "--tor-budget-minutes", "15", "--hard-high", "26", "--hard-low", "0", "--mkt-limit", "8",
                "--major-degree-minutes", "200");

        assertThat(r.exit()).isZero();
        JsonNode o = r.json();
        assertThat(o.path("policy").path("torBudgetSeconds").asLong()).isEqualTo(900);
        assertThat(o.path("policy").path("hardHighCelsius").asDouble()).isEqualTo(26.0);
        assertThat(o.path("policy").path("hardLowCelsius").asDouble()).isEqualTo(0.0);
        assertThat(o.path("policy").path("mktLimitCelsius").asDouble()).isEqualTo(8.0);
        assertThat(o.path("policy").path("majorDegreeMinutes").asDouble()).isEqualTo(200.0);
        // TOR 10 min is within 15; the closing 30 °C is above the 26 °C hard limit; MKT 19.7 > 8
        assertThat(o.path("breach").path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(o.path("breach").path("reasons").findValuesAsText("code"))
                .containsExactly("HARD_HIGH_LIMIT_EXCEEDED", "MKT_ABOVE_LABEL");
    }

    @Test
    void mainAcceptsAnOpenBandSideAndProductPresets() throws Exception {
        String frozen = lines(List.of("{\"time\":\"2026-03-01T08:00:00Z\",\"celsius\":-20}",
                "{\"time\":\"2026-03-01T09:00:00Z\",\"celsius\":-15}",
                "{\"time\":\"2026-03-01T09:40:00Z\",\"celsius\":-22}"));

        JsonNode bare = main(frozen, "--low", "none", "--high", "-18").json();
        assertThat(bare.path("band").path("lowCelsius").isNull()).isTrue();
        assertThat(bare.path("torSeconds").asLong()).isEqualTo(2400);
        assertThat(bare.path("degreeMinutesBelow").asDouble()).isZero();

        JsonNode preset = main(frozen, "--product", "frozen").json();
        assertThat(preset.path("product").asText()).isEqualTo("frozen");
        assertThat(preset.path("policy").path("torBudgetSeconds").asLong()).isEqualTo(1800);
        assertThat(preset.path("breach").path("severity").asText()).isEqualTo("MAJOR"); // 40 min > 30, 120 °C·min

        JsonNode relaxed = main(frozen, "--product", "frozen", "--tor-budget-minutes", "45").json();
        assertThat(relaxed.path("breach").path("breached").asBoolean()).isFalse();
    }

    @Test
    void missingBandIsAUsageError() {
        for (String[] args : List.of(new String[] {}, new String[] {"--low", "2"}, new String[] {"coldchain", "--high", "8"})) {
            Result r = main("", args);

            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("waybill coldchain: --low and --high (or --product) are required")
                    .contains(ColdChainCommand.usage());
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(main("", "--low", "8", "--high", "2").err()).contains("above its high bound");
        assertThat(main("", "--low", "two", "--high", "8").err()).contains("--low is not a number: 'two'");
        assertThat(main("", "--low", "2", "--high", "8", "--color", "red").err()).contains("unknown argument '--color'");
        assertThat(main("", "--low", "2", "--high").err()).contains("--high needs a value");
        assertThat(main("", "--low", "2", "--high", "8", "--low", "3").err()).contains("--low given twice");
        assertThat(main("", "--product", "bananas").err()).contains("unknown --product 'bananas'");
        assertThat(main("", "--product", "frozen", "--low", "2").err()).contains("not both");
        assertThat(main("", "--low", "2", "--high", "8", "--tor-budget-minutes", "-1").err()).contains("negative");
        assertThat(main("", "--low", "none", "--high", "none").err()).contains("at least one bound");
        assertThat(main("", "--low", "2", "--high", "NaN").exit()).isEqualTo(2);
    }

    @Test
    void helpPrintsUsageOnStdout() {
        Result r = main("", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(ColdChainCommand.USAGE);
        assertThat(ColdChainCommand.USAGE).startsWith("usage: waybill coldchain --low L --high H "
                + "[--tor-budget-minutes M] [--hard-high X] [--hard-low Y] [--mkt-limit Z]");
        for (String option : List.of("--low", "--high", "--tor-budget-minutes", "--hard-high", "--hard-low",
                "--mkt-limit", "--major-degree-minutes", "--product")) {
            assertThat(ColdChainCommand.USAGE).contains(option);
        }
        for (ProductClass preset : ProductClass.presets()) {
            assertThat(ColdChainCommand.USAGE).contains(preset.name());
        }
    }

    @Test
    void runTakesABandAndPolicy() throws Exception {
        BreachPolicy generous = BreachPolicy.builder().torBudget(Duration.ofHours(1)).build();

        Result r = invoke(lines(FIVE_THEN_TWENTY_FIVE), (in, out, err) -> new ColdChainCommand()
                .run(in, out, err, TemperatureBand.between(2, 8), generous));

        assertThat(r.json().path("breach").path("breached").asBoolean()).isFalse();
    }
}
