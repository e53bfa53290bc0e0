package io.waybill.local.cli;

import io.waybill.aws.stream.RecordRedrive;
import io.waybill.local.AwsClients;
import io.waybill.local.archive.ArchiveDeliveryConfig;
import io.waybill.local.backfill.Backfill;
import io.waybill.local.backfill.BackfillWindow;
import io.waybill.local.replay.ReplayResources;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./waybill backfill}: where the archive and the raw stream are (the running local stack, or a deployed
 * stage's stack outputs {@value #ARCHIVE_BUCKET_OUTPUT} and {@code TelemetryStreamName}), the run ({@link Backfill}),
 * the report on stdout and the exit code: 0 when every readable record was re-driven or deliberately left out (an
 * empty window included), 1 when an object was unreadable or a record could not be put.
 */
final class BackfillCommand {
    /** Stack output: the raw archive bucket ({@code infra-cdk} {@code StackOutputs}). */
    static final String ARCHIVE_BUCKET_OUTPUT = "RawArchiveBucketName";
    /** Lines naming skipped records, at most; the rest are counted. */
    static final int SKIPPED_SHOWN = 20;

    private BackfillCommand() {
    }

    /**
     * What the ingest function made of the re-driven records, when its counters can be read (an in-process pipeline).
     *
     * @param storedNew    events stored that were not in the store
     * @param duplicates   records absorbed as duplicates of stored events
     * @param deadLettered records dead-lettered
     */
    record IngestOutcome(long storedNew, long duplicates, long deadLettered) {
    }

    /** Backfills from the running local stack's archive onto its stream. */
    static int local(Path root, BackfillWindow window, Backfill.Selection selection, boolean dryRun, PrintStream out) {
        StackState state = StackState.require(root);
        try (AwsClients clients = AwsClients.create(state.endpoints())) {
            String bucket = ArchiveDeliveryConfig.LOCAL_BUCKET;
            try {
                clients.s3().headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException e) {
                throw UserError.failed("the local stack has no bucket " + bucket + ": is it a ./waybill stack of this"
                        + " version?");
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    throw UserError.failed("the local stack has no bucket " + bucket + ": is it a ./waybill stack of"
                            + " this version?");
                }
                throw e;
            }
            Backfill.Report report = new Backfill(clients.s3(), new RecordRedrive(clients.kinesis()))
                    .run("the local stack", bucket, state.stream(), window, selection, dryRun);
            print(report, null, out);
            return report.complete() ? 0 : UserError.FAILED;
        }
    }

    /** Backfills a deployed stage: its archive bucket and raw stream from its stack's outputs. */
    static int stage(String stage, String profile, String region, BackfillWindow window, Backfill.Selection selection,
                     boolean dryRun, PrintStream out) {
        return ReplayCommand.onStage(stage, profile, region, (clients, stackName, outputs) -> {
            String bucket = required(outputs, ARCHIVE_BUCKET_OUTPUT, stackName);
            String stream = required(outputs, ReplayResources.TELEMETRY_STREAM_NAME, stackName);
            Backfill.Report report = new Backfill(clients.s3(), new RecordRedrive(clients.kinesis()))
                    .run("stage " + stage + " (stack " + stackName + ", " + clients.region().id() + ")", bucket,
                            stream, window, selection, dryRun);
            print(report, null, out);
            return report.complete() ? 0 : UserError.FAILED;
        });
    }

    private static String required(Map<String, String> outputs, String key, String stackName) {
        String v = outputs.get(key);
        if (v == null || v.isBlank()) {
            throw UserError.failed("stack " + stackName + " has no output " + key + " (a stack deployed before the raw"
                    + " archive existed? deploy this version first)");
        }
        return v;
    }

    /**
     * The report: where, what was read, what was (or would be) re-driven, every skipped line by key and line number
     * (the first {@value #SKIPPED_SHOWN}), what the ingest made of it when known.
     *
     * @param ingest the ingest counters' change, or null when they cannot be read from here
     */
    static void print(Backfill.Report r, IngestOutcome ingest, PrintStream out) {
        out.println("backfill " + r.window() + " from " + r.where() + " -> " + r.stream()
                + (r.dryRun() ? " (dry run: nothing is put)" : ""));
        if (r.objects() == 0) {
            out.println("  no archived objects in that window: nothing to re-drive");
            return;
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "  %,d object%s read, %,d lines; %,d records %s", r.objects(), r.objects() == 1 ? "" : "s", r.lines(),
                r.redriven(), r.dryRun() ? "would be re-driven" : "re-driven"));
        if (r.notSelected() > 0) {
            b.append(String.format(Locale.ROOT, "; %,d not selected (--adapter/--device)", r.notSelected()));
        }
        b.append(String.format(Locale.ROOT, "; %,d skipped", r.skippedCount()));
        if (r.skippedCount() > 0) {
            StringBuilder reasons = new StringBuilder();
            for (Backfill.SkipReason reason : Backfill.SkipReason.values()) {
                long n = r.skipped(reason);
                if (n > 0) {
                    reasons.append(reasons.length() == 0 ? "" : ", ").append(reason.text()).append(' ').append(n);
                }
            }
            b.append(" (").append(reasons).append(r.skippedCount() > r.skipped().size() ? ", first "
                    + r.skipped().size() + " named" : "").append(')');
        }
        out.println(b);
        r.skipped().stream().limit(SKIPPED_SHOWN).forEach(s -> out.println("    skipped: " + s));
        if (r.skipped().size() > SKIPPED_SHOWN) {
            out.printf(Locale.ROOT, "    ... %,d more skipped lines (the command log names them)%n",
                    r.skippedCount() - SKIPPED_SHOWN);
        }
        r.unreadable().forEach(u -> out.println("    unreadable object: " + u));
        r.notPut().forEach(n -> out.println("    not put: " + n));
        if (!r.dryRun() && r.redriven() > 0) {
            if (ingest != null) {
                out.printf(Locale.ROOT, "  ingest: %,d stored new, %,d absorbed as duplicates, %,d dead-lettered%n",
                        ingest.storedNew(), ingest.duplicates(), ingest.deadLettered());
            } else {
                out.println("  ingest: what was new is stored, what was stored already is absorbed as a duplicate:"
                        + " see the ingest metrics (EventsStored, DuplicatesAbsorbed, RecordsDeadLettered; on the"
                        + " local stack the 'batch ... stored= duplicates=' lines of .waybill/logs/stack.log)");
            }
        }
        if (!r.complete()) {
            out.println("backfill: not everything was re-driven (unreadable objects or records not put, named above):"
                    + " run it again for the same window once fixed; it is idempotent (exit 1)");
        }
    }
}
