package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NormalizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The command's output lines, each parsed as JSON (a line that is not JSON fails the test). */
    static List<JsonNode> run(byte[] input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new NormalizeCommand(RecordNormalizer.standard()).run(new ByteArrayInputStream(input), out);
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError("output line is not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    void writesExactlyOneLinePerInputLineInOrder() throws Exception {
        byte[] input = SampleCatalog.bytes("normalize-input.jsonl");
        List<String> lines = new String(input, StandardCharsets.UTF_8).lines().toList();

        List<JsonNode> output = run(input);

        assertThat(output).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode o = output.get(i);
            boolean rejected = o.path("rejected").asBoolean(false);
            assertThat(rejected || "1.0".equals(o.path("specversion").asText()))
                    .as("line %d is a CloudEvent or a rejection: %s", i + 1, o).isTrue();
            if (rejected) {
                assertThat(o.path("line").asInt()).isEqualTo(i + 1);
                assertThat(o.path("reason").asText()).isNotBlank();
            }
        }
        assertThat(output.get(0).path("type").asText()).isEqualTo("waybill.temperature.observed.v1");
        assertThat(output.get(lines.size() - 1).path("reason").asText()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void resentLineBecomesTheSameEvent() throws Exception {
        byte[] line = (new String(SampleCatalog.bytes("normalize-input.jsonl"), StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("thermotrack")).findFirst().orElseThrow() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] twice = new byte[line.length * 2];
        System.arraycopy(line, 0, twice, 0, line.length);
        System.arraycopy(line, 0, twice, line.length, line.length);

        List<JsonNode> output = run(twice);

        assertThat(output.get(0).path("id").asText()).isEqualTo(output.get(1).path("id").asText());
    }

    @Test
    void emptyAndBinaryLinesAreRejectionsNotCrashes() throws Exception {
        byte[] input = "\n\u0000\u0001garbage\n{\"wb_route\":\"thermotrack/x\"}\n".getBytes(StandardCharsets.UTF_8);

        List<JsonNode> output = run(input);

        assertThat(output).hasSize(3).allSatisfy(o -> assertThat(o.path("rejected").asBoolean()).isTrue());
        assertThat(output.get(2).path("reason").asText()).isEqualTo("MISSING_FIELD");
    }
}
