package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./waybill coldchain} on fixtures whose expected figures come from an independent script kept with them,
 * {@code src/test/resources/coldchain/reference_exposure.py} (its own loop over the raw readings, no Java): two
 * probes, gaps beyond the interpolation limit, ten short excursions over a 30-minute budget, and the same trips known
 * only through 1-hour summaries with exposure statistics (expected: the raw readings' figures).
 *
 * <p>The expected {@code *.expected.json} and the {@code *.jsonl} inputs are committed, so this runs without python.
 * To regenerate them after changing the script, from the repository root:
 * {@code python3 local-runtime/src/test/resources/coldchain/reference_exposure.py};
 * {@link #committedFixturesAreWhatTheScriptWrites} checks they are current when python3 is on the PATH.
 */
class ColdChainFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src", "test", "resources", "coldchain");
    private static final List<String> NAMES = List.of("two-probes", "gaps", "short-excursions", "summaries",
            "summaries-raw");
    private static final List<String> SECONDS = List.of("readings", "coveredSeconds", "torSeconds", "torAboveSeconds",
            "torBelowSeconds", "unknownSeconds");
    private static final List<String> DOUBLES = List.of("degreeMinutesAbove", "degreeMinutesBelow", "mktCelsius",
            "maxCelsius", "minCelsius");
    private static final double RELATIVE = 1e-6;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ColdChainFixturesTest.class.getResourceAsStream("/coldchain/" + name)) {
            assertThat(in).as("fixture %s on the test class path", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"two-probes", "gaps", "short-excursions", "summaries", "summaries-raw"})
    void figuresPerProbeAndForTheWorstEqualTheReferenceScripts(String name) throws Exception {
        JsonNode expected = JSON.readTree(resource(name + ".expected.json"));
        List<String> args = new ArrayList<>();
        expected.path("args").forEach(a -> args.add(a.asText()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = ColdChainCommand.main(args.toArray(String[]::new),
                new ByteArrayInputStream(resource(expected.path("input").asText())),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        JsonNode actual = JSON.readTree(out.toByteArray());
        String worst = expected.path("worstProbe").asText();
        assertThat(actual.path("worstProbe").asText()).isEqualTo(worst);
        assertThat(fieldNames(actual.path("probes"))).isEqualTo(fieldNames(expected.path("probes")));
        expected.path("probes").fields().forEachRemaining(p ->
                assertFigures(name + " probe " + p.getKey(), actual.path("probes").path(p.getKey()), p.getValue()));
        // the top level keeps the single-series keys, with the worst probe's figures
        assertFigures(name + " top level", actual, expected.path("probes").path(worst));
    }

    private static void assertFigures(String what, JsonNode actual, JsonNode expected) {
        for (String key : SECONDS) {
            assertThat(actual.path(key).isIntegralNumber()).as("%s %s is whole seconds: %s", what, key,
                    actual.path(key)).isTrue();
            assertThat(actual.path(key).asLong()).as("%s %s", what, key).isEqualTo(expected.path(key).asLong());
        }
        for (String key : List.of("firstTime", "lastTime")) {
            assertThat(actual.path(key).asText()).as("%s %s", what, key).isEqualTo(expected.path(key).asText());
        }
        for (String key : DOUBLES) {
            double want = expected.path(key).asDouble();
            double got = actual.path(key).asDouble();
            assertThat(actual.path(key).isNumber()).as("%s %s present", what, key).isTrue();
            assertThat(Math.abs(got - want)).as("%s %s: %s, expected %s", what, key, got, want)
                    .isLessThanOrEqualTo(Math.max(Math.abs(want) * RELATIVE, 1e-12));
        }
        JsonNode breach = actual.path("breach");
        assertThat(breach.path("breached").asBoolean()).as("%s breached", what)
                .isEqualTo(expected.path("breached").asBoolean());
        assertThat(breach.path("severity").asText()).as("%s severity", what)
                .isEqualTo(expected.path("severity").asText());
        Set<String> codes = new TreeSet<>(breach.path("reasons").findValuesAsText("code"));
        Set<String> expectedCodes = new TreeSet<>();
        expected.path("reasonCodes").forEach(c -> expectedCodes.add(c.asText()));
        assertThat(codes).as("%s reasons", what).isEqualTo(expectedCodes);
    }

    private static Set<String> fieldNames(JsonNode o) {
        Set<String> names = new TreeSet<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void fixturesShowWhatTheIssueAsksFor() throws Exception {
        // Guards the fixtures themselves (hand-checked against the script's construction): a breach from ten
        // 4-minute excursions (10 x 8 readings x 30 s = 2,400 s > 1,800 s), 6 h 10 min of unknown time (25 min
        // after a 40-min silence + 5 h 45 min after a 6-h one), the return air's 45 minutes (90 readings x 30 s).
        JsonNode shortOnes = JSON.readTree(resource("short-excursions.expected.json")).path("probes").path("default");
        assertThat(shortOnes.path("torSeconds").asLong()).isEqualTo(2400);
        assertThat(shortOnes.path("reasonCodes").get(0).asText()).isEqualTo("TOR_BUDGET_EXCEEDED");
        JsonNode gaps = JSON.readTree(resource("gaps.expected.json")).path("probes").path("default");
        assertThat(gaps.path("unknownSeconds").asLong()).isEqualTo(25 * 60 + 345 * 60);
        assertThat(gaps.path("torSeconds").asLong()).isEqualTo(15 * 60); // 9 °C holds 15 min, not 40
        JsonNode two = JSON.readTree(resource("two-probes.expected.json"));
        assertThat(two.path("worstProbe").asText()).isEqualTo("return-air");
        assertThat(two.path("probes").path("return-air").path("torSeconds").asLong()).isEqualTo(2700);
        assertThat(two.path("probes").path("supply-air").path("breached").asBoolean()).isFalse();
        // the summaries fixture really is summaries with statistics only
        for (String line : new String(resource("summaries.jsonl"), StandardCharsets.UTF_8).lines().toList()) {
            JsonNode l = JSON.readTree(line);
            assertThat(l.has("windowStart") && l.has("exposure") && !l.has("time")).as(line).isTrue();
        }
    }

    @Test
    void committedFixturesAreWhatTheScriptWrites(@TempDir Path dir) throws Exception {
        Process python;
        try {
            python = new ProcessBuilder("python3", FIXTURES.resolve("reference_exposure.py").toString(), dir.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not available: the committed fixtures are used as they are");
            return;
        }
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.exitValue()).as(output).isZero();
        for (String name : NAMES) {
            for (String file : List.of(name + ".jsonl", name + ".expected.json")) {
                assertThat(Files.readString(dir.resolve(file))).as(file + " is stale: re-run the script")
                        .isEqualTo(new String(resource(file), StandardCharsets.UTF_8));
            }
        }
    }
}
