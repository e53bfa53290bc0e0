package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infra-cdk/synth.sh}, what {@code ./waybill synth} runs, as a process (issue 9, items 8 and 9): its usage,
 * its refusal of unknown options, and one line instead of a stack trace for a bad context value.
 */
class SynthScriptTest {

    record Run(int exit, String stdout, String stderr) {
    }

    private static Run synth(String... args) throws IOException, InterruptedException {
        Path script = SynthesizedStacks.repoRoot().resolve("infra-cdk/synth.sh");
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("synth", ".out");
        Path err = Files.createTempFile("synth", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("WAYBILL_SYNTH_BUILD", "0");
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("synth.sh finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsageWithOptionsAndEveryContextKeyAndExitsZero() throws Exception {
        Run run = synth("--help");
        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).startsWith("Usage: ./waybill synth").contains("-c, --context key=value")
                .contains("-h, --help").contains("infra-cdk/cdk.out");
        for (String key : StageConfig.CONTEXT_KEYS) {
            assertThat(run.stdout()).as("usage names context key " + key).containsPattern("(?m)^  " + key + " ");
        }
        assertThat(synth("-h").stdout()).isEqualTo(run.stdout());
    }

    @Test
    void unknownOptionIsRefusedWithTheUsageAndExitCode2() throws Exception {
        Run run = synth("--profile", "prod");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr()).startsWith("synth: unknown option '--profile'").contains("Usage: ./waybill synth");
        assertThat(run.stdout()).isEmpty();
        assertThat(synth("-c").exit()).as("-c without key=value").isEqualTo(2);
        assertThat(synth("-c", "stage").exit()).as("-c without '='").isEqualTo(2);
    }

    @Test
    void invalidStageIsOneLineSayingWhatToDoAndExitCode2() throws Exception {
        Run run = synth("-c", "stage=Prod_1");
        assertThat(run.exit()).as(run.stderr()).isEqualTo(2);
        List<String> lines = run.stderr().lines().filter(l -> !l.startsWith("synth: installing")
                && !l.startsWith("synth: building")).toList();
        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .startsWith("waybill synth: stage 'Prod_1' must match")
                .contains("-c stage=").contains("--help"));
        assertThat(run.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
