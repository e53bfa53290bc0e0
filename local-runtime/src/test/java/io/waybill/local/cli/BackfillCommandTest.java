package io.waybill.local.cli;

import io.waybill.local.archive.ArchiveDeliveryConfig;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./waybill backfill} against a running local stack (this JVM plays the stack process, as in
 * {@link ReplayCommandTest}), through {@link WaybillCli#run}: the pipeline archives the 17 samples into the local
 * archive bucket, as {@code ./waybill stack} does.
 */
@Timeout(120)
class BackfillCommandTest {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);
    @TempDir
    static Path root;
    private static StackInThisJvm running;
    private static LocalPipeline pipeline;
    private static String from;
    private static String to;

    @BeforeAll
    static void startStack() {
        running = StackInThisJvm.start(root,
                b -> b.rawArchive(ArchiveDeliveryConfig.LOCAL_BUCKET, ArchiveDeliveryConfig.local()));
        pipeline = running.pipeline();
        List<byte[]> samples = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
        from = HOUR.format(Instant.now());
        pipeline.publish(samples, samples.stream().map(s -> "producer").toList());
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).isTrue();
        assertThat(pipeline.rawArchive().awaitDelivered(Duration.ofSeconds(60))).isTrue();
        to = HOUR.format(Instant.now());
    }

    @AfterAll
    static void stopStack() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void aWindowWithoutArchivedObjectsSaysSoAndSucceeds() {
        CliRun r = CliRun.of(root, "backfill", "--from", "2001-01-01T00", "--to", "2001-01-01T02");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "backfill 2001-01-01T00:00:00Z .. 2001-01-01T03:00:00Z (3 hours) from the local stack -> waybill-telemetry",
                "  no archived objects in that window: nothing to re-drive");
    }

    @Test
    void dryRunSaysWhatItWouldReDriveAndPutsNothing() {
        long finished = pipeline.tally().finished();

        CliRun r = CliRun.of(root, "backfill", "--from", from, "--to", to, "--dry-run", "--device", "TT-0042,SWIFTLOG");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList().get(0)).endsWith("from the local stack -> waybill-telemetry (dry run: nothing is put)");
        assertThat(r.out().lines().toList().get(1)).matches(
                "  1 object read, 17 lines; 4 records would be re-driven; 13 not selected \\(--adapter/--device\\); 0 skipped");
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.tally().finished()).isEqualTo(finished);
    }
}
