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
        // Issue 12: lines without "probe" are one default probe; its figures are also the top level's. The gaps are
        // 10 min, within the 15-min interpolation limit: no unknown time.
        assertThat(o.path("worstProbe").asText()).isEqualTo("default");
        assertThat(o.path("unknownSeconds").asLong()).isZero();
        assertThat(o.path("policy").path("maxInterpolationGapSeconds").asLong()).isEqualTo(900);
        assertThat(o.path("probes").size()).isEqualTo(1);
        JsonNode probe = o.path("probes").path("default");
        assertThat(probe.path("torSeconds").asLong()).isEqualTo(600);
        assertThat(probe.path("readings").asInt()).isEqualTo(3);
        assertThat(probe.path("breach").path("severity").asText()).isEqualTo("MAJOR");
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
        // Issue 12: a reading holds at most 15 min (the default interpolation limit), the rest of a gap is unknown.
        // Hand-worked: -20 °C holds 08:00-08:15 (in range), 08:15-09:00 unknown (45 min); -15 °C holds 09:00-09:15
        // above -18 (900 s, 3 °C x 15 min = 45 °C·min), 09:15-09:40 unknown (25 min); the closing -22 °C holds
        // nothing. Unknown 70 min = 4,200 s; covered 30 min observed + 70 min unknown = 6,000 s. (Before the limit,
        // every reading held until the next one: 2,400 s out of range, 120 °C·min.)
        JsonNode bare = main(frozen, "--low", "none", "--high", "-18").json();
        assertThat(bare.path("band").path("lowCelsius").isNull()).isTrue();
        assertThat(bare.path("torSeconds").asLong()).isEqualTo(900);
        assertThat(bare.path("unknownSeconds").asLong()).isEqualTo(4200);
        assertThat(bare.path("coveredSeconds").asLong()).isEqualTo(6000);
        assertThat(bare.path("degreeMinutesAbove").asDouble()).isCloseTo(45.0, within(1e-9));
        assertThat(bare.path("degreeMinutesBelow").asDouble()).isZero();

        // frozen: 30 min budget. 15 min out of range is within it, but 15 + 70 min unknown is not: DATA_GAP, MINOR
        // (45 °C·min <= 60).
        JsonNode preset = main(frozen, "--product", "frozen").json();
        assertThat(preset.path("product").asText()).isEqualTo("frozen");
        assertThat(preset.path("policy").path("torBudgetSeconds").asLong()).isEqualTo(1800);
        assertThat(preset.path("policy").path("maxInterpolationGapSeconds").asLong()).isEqualTo(900);
        assertThat(preset.path("policy").path("unknownTimeCounts").asBoolean()).isTrue();
        assertThat(preset.path("breach").path("severity").asText()).isEqualTo("MINOR");
        assertThat(preset.path("breach").path("reasons").findValuesAsText("code")).containsExactly("DATA_GAP");

        // 45 min budget: 15 + 70 = 85 min is still over it; with unknown time not counted, 15 min is within it.
        JsonNode relaxed = main(frozen, "--product", "frozen", "--tor-budget-minutes", "45").json();
        assertThat(relaxed.path("breach").path("reasons").findValuesAsText("code")).containsExactly("DATA_GAP");
        JsonNode lenient = main(frozen, "--product", "frozen", "--tor-budget-minutes", "45",
                "--unknown-time-counts", "no").json();
        assertThat(lenient.path("policy").path("unknownTimeCounts").asBoolean()).isFalse();
        assertThat(lenient.path("unknownSeconds").asLong()).isEqualTo(4200); // reported, not judged
        assertThat(lenient.path("breach").path("breached").asBoolean()).isFalse();

        // A 60-min limit holds every reading until the next one again: the old figures, 40 min above, 120 °C·min
        // (-15 °C for 40 min: 3 x 40), MAJOR over the 30-min budget; within a 45-min one.
        JsonNode held = main(frozen, "--product", "frozen", "--max-gap-minutes", "60").json();
        assertThat(held.path("policy").path("maxInterpolationGapSeconds").asLong()).isEqualTo(3600);
        assertThat(held.path("torSeconds").asLong()).isEqualTo(2400);
        assertThat(held.path("unknownSeconds").asLong()).isZero();
        assertThat(held.path("degreeMinutesAbove").asDouble()).isCloseTo(120.0, within(1e-9));
        assertThat(held.path("breach").path("severity").asText()).isEqualTo("MAJOR");
        JsonNode heldRelaxed = main(frozen, "--product", "frozen", "--max-gap-minutes", "60",
                "--tor-budget-minutes", "45").json();
        assertThat(heldRelaxed.path("breach").path("breached").asBoolean()).isFalse();
    }

    @Test
    void eachProbeIsJudgedApartAndTheWorstIsAtTheTopLevel() throws Exception {
        // Probe a: 5 °C throughout, in range. Probe b: 10 °C from 09:05 to 09:10: 300 s above, 2 °C x 5 min =
        // 10 °C·min: a MINOR breach of the bare band. Merged into one series (before issue 12) the readings would
        // alternate and describe neither probe.
        Result r = band(lines(List.of(
                "{\"time\": \"2026-03-01T09:00:00Z\", \"celsius\": 5, \"probe\": \"a\"}",
                "{\"time\": \"2026-03-01T09:00:00Z\", \"celsius\": 5, \"probe\": \"b\"}",
                "{\"time\": \"2026-03-01T09:05:00Z\", \"celsius\": 10, \"probe\": \"b\"}",
                "{\"time\": \"2026-03-01T09:10:00Z\", \"celsius\": 5, \"probe\": \"a\"}",
                "{\"time\": \"2026-03-01T09:10:00Z\", \"celsius\": 5, \"probe\": \"b\"}",
                "{\"time\": \"2026-03-01T09:20:00Z\", \"celsius\": 5, \"probe\": \"a\"}")), 2, 8);

        assertThat(r.exit()).isZero();
        JsonNode o = r.json();
        assertThat(o.path("worstProbe").asText()).isEqualTo("b");
        assertThat(o.path("readings").asInt()).isEqualTo(3);
        assertThat(o.path("torSeconds").asLong()).isEqualTo(300);
        assertThat(o.path("degreeMinutesAbove").asDouble()).isCloseTo(10.0, within(1e-9));
        assertThat(o.path("coveredSeconds").asLong()).isEqualTo(600);
        assertThat(o.path("breach").path("severity").asText()).isEqualTo("MINOR");
        JsonNode a = o.path("probes").path("a");
        assertThat(a.path("readings").asInt()).isEqualTo(3);
        assertThat(a.path("coveredSeconds").asLong()).isEqualTo(1200);
        assertThat(a.path("torSeconds").asLong()).isZero();
        assertThat(a.path("mktCelsius").asDouble()).isCloseTo(5.0, within(1e-9)); // a constant's MKT is itself
        assertThat(a.path("breach").path("breached").asBoolean()).isFalse();
        assertThat(o.path("probes").path("b").path("torSeconds").asLong()).isEqualTo(300);
        assertThat(o.path("probes").size()).isEqualTo(2);
    }

    @Test
    void aSilenceBeyondTheLimitIsUnknownTimeNotHeld() throws Exception {
        // 9 °C at 10:00, then nothing until 10:40. Hand-worked: 9 °C holds 15 min (900 s above, 1 °C x 15 min =
        // 15 °C·min), 25 min unknown (1,500 s); covered 2,400 s. Budget 20 min: 15 min is within it, 15 + 25 is not.
        String silence = lines(List.of("{\"time\": \"2026-03-01T10:00:00Z\", \"celsius\": 9}",
                "{\"time\": \"2026-03-01T10:40:00Z\", \"celsius\": 5}"));

        JsonNode o = main(silence, "--low", "2", "--high", "8", "--tor-budget-minutes", "20").json();
        assertThat(o.path("torSeconds").asLong()).isEqualTo(900);
        assertThat(o.path("unknownSeconds").asLong()).isEqualTo(1500);
        assertThat(o.path("coveredSeconds").asLong()).isEqualTo(2400);
        assertThat(o.path("degreeMinutesAbove").asDouble()).isCloseTo(15.0, within(1e-9));
        assertThat(o.path("mktCelsius").asDouble()).isCloseTo(9.0, within(1e-9)); // only 9 °C was observed
        assertThat(o.path("breach").path("reasons").findValuesAsText("code")).containsExactly("DATA_GAP");

        JsonNode wide = main(silence, "--low", "2", "--high", "8", "--tor-budget-minutes", "20",
                "--max-gap-minutes", "40").json();
        assertThat(wide.path("torSeconds").asLong()).isEqualTo(2400); // held for all 40 min
        assertThat(wide.path("breach").path("reasons").findValuesAsText("code")).containsExactly("TOR_BUDGET_EXCEEDED");
    }

    @Test
    void aSummaryWithStatisticsCountsItsTimeAboveTheBandAMeanDoesNot() throws Exception {
        // Issue 12 item 1: an 8-hour summary with 39 minutes above the band. Its statistics: observed 8 h =
        // 28,800,000 ms, 2,340,000 ms above, 39 x 1 °C = 39 °C·min (at 9 °C), the rest at 5 °C:
        // python3: a=(28800-2340)*math.exp(-10000/278.15)+2340*math.exp(-10000/282.15) -> 7.388547710409221e-12,
        //          10000/-math.log(a/28800)-273.15 -> 5.407579702188627
        String statistics = "\"exposure\": {\"bandLowCelsius\": 2.0, \"bandHighCelsius\": 8.0, \"maxGapSeconds\": 900,"
                + " \"observedMillis\": 28800000, \"unknownMillis\": 0, \"aboveMillis\": 2340000, \"belowMillis\": 0,"
                + " \"degreeMinutesAbove\": 39.0, \"degreeMinutesBelow\": 0.0, \"arrheniusSum\": 7.388547710409221e-12}";
        String summary = "{\"windowStart\": \"2026-03-01T00:00:00Z\", \"windowEnd\": \"2026-03-01T07:59:30Z\","
                + " \"minCelsius\": 4.5, \"maxCelsius\": 9.0, \"meanCelsius\": 5.33, \"readingCount\": 960";

        JsonNode o = main(lines(List.of(summary + ", " + statistics + "}")), "--product", "chilled-biologics-2-8").json();
        assertThat(o.path("readings").asInt()).isEqualTo(960);
        assertThat(o.path("torSeconds").asLong()).isEqualTo(2340);
        assertThat(o.path("coveredSeconds").asLong()).isEqualTo(28800);
        assertThat(o.path("lastTime").asText()).isEqualTo("2026-03-01T08:00:00Z"); // the last reading's hold
        assertThat(o.path("degreeMinutesAbove").asDouble()).isCloseTo(39.0, within(1e-9));
        assertThat(o.path("mktCelsius").asDouble()).isCloseTo(5.407579702188627, within(1e-6));
        assertThat(o.path("maxCelsius").asDouble()).isEqualTo(9.0);
        // 39 min over the 30-min budget, 39 °C·min <= 60: MINOR
        assertThat(o.path("breach").path("severity").asText()).isEqualTo("MINOR");
        assertThat(o.path("breach").path("reasons").findValuesAsText("code")).containsExactly("TOR_BUDGET_EXCEEDED");

        // The same summary as a mean only (an older component): 5.33 °C for its window, 0 s out of range.
        JsonNode mean = main(lines(List.of(summary + "}")), "--product", "chilled-biologics-2-8").json();
        assertThat(mean.path("torSeconds").asLong()).isZero();
        assertThat(mean.path("coveredSeconds").asLong()).isEqualTo(8 * 3600 - 30);
        assertThat(mean.path("breach").path("breached").asBoolean()).isFalse();
    }

    @Test
    void backToBackMeanSummariesLeaveNoUnknownTime() throws Exception {
        // A 1-minute logger's 15-minute summaries from an older component (means only): readings 00:00..00:14,
        // 00:15..00:29, 00:30..00:44. Between two windows there is one logging interval (60 s), far within the 15-min
        // interpolation limit, so nothing is unknown: each window's mean holds until the next window, 00:00-00:44 =
        // 2,640 s observed at 5 °C. Today each boundary adds 60 s of unknown time (120 s here; 48 h over a 30-day
        // trip), so the shipment ends in DATA_GAP under any budget.
        String summaries = lines(List.of(
                "{\"windowStart\":\"2026-03-01T00:00:00Z\",\"windowEnd\":\"2026-03-01T00:14:00Z\",\"minCelsius\":4,"
                        + "\"maxCelsius\":6,\"meanCelsius\":5,\"readingCount\":15}",
                "{\"windowStart\":\"2026-03-01T00:15:00Z\",\"windowEnd\":\"2026-03-01T00:29:00Z\",\"minCelsius\":4,"
                        + "\"maxCelsius\":6,\"meanCelsius\":5,\"readingCount\":15}",
                "{\"windowStart\":\"2026-03-01T00:30:00Z\",\"windowEnd\":\"2026-03-01T00:44:00Z\",\"minCelsius\":4,"
                        + "\"maxCelsius\":6,\"meanCelsius\":5,\"readingCount\":15}"));

        JsonNode o = main(summaries, "--product", "vaccines-2-8", "--tor-budget-minutes", "1").json();
        assertThat(o.path("unknownSeconds").asLong()).isZero();
        assertThat(o.path("coveredSeconds").asLong()).isEqualTo(2640);
        assertThat(o.path("breach").path("breached").asBoolean()).isFalse();
    }

    @Test
    void anExcursionReportStandsForTimeNoReadingCoversYet() throws Exception {
        // Readings 10:00 and 10:10 at 5 °C; the edge reports 12 °C for the 600 s before 10:30. Hand-worked: 10:00-
        // 10:10 at 5 °C (600 s), the report's 10:20-10:30 at 12 °C (600 s above, 4 °C x 10 min = 40 °C·min).
        Result r = band(lines(List.of("{\"time\": \"2026-03-01T10:00:00Z\", \"celsius\": 5}",
                "{\"time\": \"2026-03-01T10:10:00Z\", \"celsius\": 5}",
                "{\"time\": \"2026-03-01T10:30:00Z\", \"observedCelsius\": 12, \"durationSeconds\": 600,"
                        + " \"edgeSeverity\": 40}")), 2, 8);

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode o = r.json();
        assertThat(o.path("readings").asInt()).isEqualTo(2);
        assertThat(o.path("torSeconds").asLong()).isEqualTo(600);
        assertThat(o.path("degreeMinutesAbove").asDouble()).isCloseTo(40.0, within(1e-9));
        assertThat(o.path("maxCelsius").asDouble()).isEqualTo(12.0);
        assertThat(o.path("lastTime").asText()).isEqualTo("2026-03-01T10:30:00Z");
        assertThat(o.path("breach").path("severity").asText()).isEqualTo("MINOR");
    }

    @Test
    void aRepeatedSummaryCountsOnceAndTwoDifferentOnesForTheSameWindowAreAnError() {
        String summary = "{\"windowStart\": \"2026-03-01T00:00:00Z\", \"windowEnd\": \"2026-03-01T00:59:30Z\","
                + " \"minCelsius\": 4.5, \"maxCelsius\": 6.0, \"meanCelsius\": 5.0, \"readingCount\": 120}";

        Result repeated = band(lines(List.of(summary, summary)), 2, 8);
        assertThat(repeated.exit()).isZero();
        assertThat(repeated.err().lines().toList()).containsExactly("waybill coldchain: warning: line 2 repeats line 1"
                + " (the summary of probe default 2026-03-01T00:00:00Z..2026-03-01T00:59:30Z): counted once");

        Result conflicting = band(lines(List.of(summary, summary.replace("5.0", "5.5"))), 2, 8);
        assertThat(conflicting.exit()).isEqualTo(2);
        assertThat(conflicting.out()).isEmpty();
        assertThat(conflicting.err().lines().toList()).containsExactly("waybill coldchain: line 2: the summary of probe"
                + " default 2026-03-01T00:00:00Z..2026-03-01T00:59:30Z differs from line 1's for the same time");
    }

    @Test
    void badSummaryAndReportLinesAreNamed() {
        Result r = band(lines(List.of(
                "{\"windowStart\": \"2026-03-01T00:00:00Z\", \"minCelsius\": 4, \"maxCelsius\": 6, \"meanCelsius\": 5,"
                        + " \"readingCount\": 2}",
                "{\"windowStart\": \"2026-03-01T01:00:00Z\", \"windowEnd\": \"2026-03-01T00:00:00Z\", \"minCelsius\": 4,"
                        + " \"maxCelsius\": 6, \"meanCelsius\": 5, \"readingCount\": 2}",
                "{\"windowStart\": \"2026-03-01T00:00:00Z\", \"windowEnd\": \"2026-03-01T01:00:00Z\", \"minCelsius\": 4,"
                        + " \"maxCelsius\": 6, \"meanCelsius\": 5, \"readingCount\": 2, \"exposure\": {\"bandHighCelsius\": 8,"
                        + " \"maxGapSeconds\": 900, \"observedMillis\": 10, \"unknownMillis\": 0, \"aboveMillis\": 20,"
                        + " \"belowMillis\": 0, \"degreeMinutesAbove\": 0, \"degreeMinutesBelow\": 0, \"arrheniusSum\": 0}}",
                "{\"time\": \"2026-03-01T00:00:00Z\", \"observedCelsius\": 12, \"edgeSeverity\": 101}",
                "{\"time\": \"2026-03-01T00:00:00Z\", \"celsius\": 5, \"probe\": 7}")), 2, 8);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(
                "waybill coldchain: line 1: missing 'windowEnd'",
                "waybill coldchain: line 2: 'windowEnd' 2026-03-01T00:00:00Z is before 'windowStart' 2026-03-01T01:00:00Z",
                "waybill coldchain: line 3: 'exposure': exposure statistics: time above and below the band (20 + 0 ms)"
                        + " exceed the observed time (10 ms)",
                "waybill coldchain: line 4: 'edgeSeverity' must be 0..100, was 101",
                "waybill coldchain: line 5: 'probe' is not a probe name: 7");
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
        assertThat(main("", "--low", "2", "--high", "8", "--max-gap-minutes", "0").err()).contains("must be positive");
        assertThat(main("", "--low", "2", "--high", "8", "--unknown-time-counts", "maybe").err())
                .contains("--unknown-time-counts must be yes or no, was 'maybe'");
    }

    @Test
    void helpPrintsUsageOnStdout() {
        Result r = main("", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(ColdChainCommand.USAGE);
        assertThat(ColdChainCommand.USAGE).startsWith("usage: waybill coldchain --low L --high H "
                + "[--tor-budget-minutes M] [--hard-high X] [--hard-low Y] [--mkt-limit Z]");
        for (String option : List.of("--low", "--high", "--tor-budget-minutes", "--hard-high", "--hard-low",
                "--mkt-limit", "--major-degree-minutes", "--product", "--max-gap-minutes", "--unknown-time-counts")) {
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
