package io.waybill.local.cli;

import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.replay.DeadLetterReplay;
import io.waybill.local.replay.ReplayResources;
import io.waybill.local.replay.ReplayRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./waybill replay} tells an operator about identity rejections (no emulator: the report and the help
 * text). The expected lines are the ones local-runtime/README.md shows.
 */
class ReplayIdentityReportTest {

    @Test
    void keptIdentityEvidenceAndRegistryDecidedReDrivesAreExplained() {
        DeadLetterReplay.Result letters = new DeadLetterReplay.Result(3, 1, Map.of(), 0,
                Map.of(RejectionReason.UNASSIGNED, 1), Map.of(RejectionReason.BAD_SIGNATURE, 2), List.of());
        ReplayRun.Report report = new ReplayRun.Report(new ReplayResources("the local stack", "waybill-telemetry",
                "http://queue", "http://ingest-failed", null, null),
                new ReplayRun.Options(ReplayRun.Source.DEAD_LETTERS, DeadLetterReplay.Selection.passingNow(), false),
                letters, List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplayCommand.print(report, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "replay against the local stack",
                "  dead letters -> waybill-telemetry: 3 examined; 1 re-driven (UNASSIGNED 1); 2 kept, not selected"
                        + " (BAD_SIGNATURE 2)",
                "    identity rejections kept (BAD_SIGNATURE 2): evidence of an attack or a broken device, never"
                        + " re-driven unless named (--reason); list them with --dry-run --reason BAD_SIGNATURE, revoke a"
                        + " compromised device with ./waybill devices revoke --thing THING",
                "    re-driven (UNASSIGNED 1): the replay does not read the device registry; ingest checks them again"
                        + " (a fresh read), and a device still not registered or assigned (or a signature still bad) is"
                        + " dead-lettered again with the same reason");
        assertThat(report.complete()).as("kept evidence is no failure of the replay").isTrue();
    }

    @Test
    void anIdConflictKeptIsNotCalledIdentityEvidence() {
        DeadLetterReplay.Result letters = new DeadLetterReplay.Result(1, 0, Map.of(), 0, Map.of(),
                Map.of(RejectionReason.ID_CONFLICT, 1), List.of());
        ReplayRun.Report report = new ReplayRun.Report(new ReplayResources("the local stack", "waybill-telemetry",
                "http://queue", "http://ingest-failed", null, null),
                new ReplayRun.Options(ReplayRun.Source.DEAD_LETTERS, DeadLetterReplay.Selection.passingNow(), true),
                letters, List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReplayCommand.print(report, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("identity rejections")
                .doesNotContain("device registry").contains("1 kept, not selected (ID_CONFLICT 1)");
    }

    @Test
    void defaultSelectionLeavesOutConflictsAndTheFiveAttackReasonsOnly() {
        // By hand, from the issue: evidence of an attack or a broken device, and an id conflict.
        Set<RejectionReason> onlyWhenNamed = Set.of(RejectionReason.ID_CONFLICT, RejectionReason.IDENTITY_MISMATCH,
                RejectionReason.DEVICE_REVOKED, RejectionReason.UNSIGNED, RejectionReason.BAD_SIGNATURE,
                RejectionReason.REPLAYED);
        for (RejectionReason r : RejectionReason.values()) {
            assertThat(DeadLetterReplay.selectedByDefault(r)).as(r.name()).isEqualTo(!onlyWhenNamed.contains(r));
            assertThat(new DeadLetterReplay.Selection(Set.of(), true).selects(r)).as("--all-reasons, " + r)
                    .isEqualTo(!onlyWhenNamed.contains(r));
            assertThat(new DeadLetterReplay.Selection(Set.of(r), false).selects(r)).as("named, " + r).isTrue();
        }
    }

    @Test
    void replayHelpSaysWhichReasonsOnlyNamingReDrives(@TempDir Path root) {
        CliRun r = CliRun.of(root, "replay", "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("IDENTITY_MISMATCH, DEVICE_REVOKED, UNSIGNED,"
                        + " BAD_SIGNATURE and REPLAYED: those are re-driven only when named here")
                .contains("UNREGISTERED_DEVICE and UNASSIGNED are re-driven by default");
    }
}
