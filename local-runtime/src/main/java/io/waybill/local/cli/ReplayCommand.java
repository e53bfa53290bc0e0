package io.waybill.local.cli;

import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.AwsClients;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.aws.deadletter.S3ClaimCheckStore;
import io.waybill.local.replay.DeadLetterDecoder;
import io.waybill.local.replay.DeadLetterReplay;
import io.waybill.local.replay.FailedBatchReplay;
import io.waybill.local.replay.ReplayResources;
import io.waybill.local.replay.ReplayRun;
import io.waybill.local.replay.StageClients;
import io.waybill.local.replay.StageStack;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ./waybill replay} (and its alias {@code replay-dlq}): where the resources are (the running local stack, or a
 * deployed stage's stack outputs), the run ({@link ReplayRun}), the report on stdout and the exit code: 0 when
 * nothing was left behind but dead letters the current code still rejects (or the selection left out), 1 when a
 * range is LOST, a record could not be put, or a message could not be read.
 */
final class ReplayCommand {
    /** Receive wait on AWS: long polling, so an empty answer means an empty queue ({@code QueueSweep}). */
    static final int STAGE_RECEIVE_WAIT_SECONDS = 2;
    /** Receive wait on the local stack: ElasticMQ answers exactly. */
    static final int LOCAL_RECEIVE_WAIT_SECONDS = 0;
    /** The names {@code ./waybill stack} deploys under. */
    static final PipelineNames STACK_NAMES = PipelineNames.withPrefix("waybill");

    private ReplayCommand() {
    }

    /**
     * @param reasons the {@code --reason} values (case-insensitive), or null
     * @throws IllegalArgumentException naming a value that is no rejection reason
     */
    static Set<RejectionReason> reasons(List<String> reasons) {
        Set<RejectionReason> out = EnumSet.noneOf(RejectionReason.class);
        if (reasons == null) {
            return out;
        }
        for (String r : reasons) {
            try {
                out.add(RejectionReason.valueOf(r.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown --reason '" + r + "' (expected one of "
                        + Arrays.stream(RejectionReason.values()).map(Enum::name).collect(Collectors.joining(", "))
                        + ")");
            }
        }
        return out;
    }

    /** Replays against the running local stack (queue and stream overrides for {@code replay-dlq}). */
    static int local(Path root, ReplayRun.Options options, String queueUrl, String stream, PrintStream out) {
        StackState state = StackState.require(root);
        try (AwsClients clients = AwsClients.create(state.endpoints())) {
            ReplayResources local = localResources(state, clients.sqs());
            ReplayResources resources = new ReplayResources(local.where(),
                    stream != null ? stream : local.telemetryStream(),
                    queueUrl != null ? queueUrl : local.deadLetterQueueUrl(), local.ingestFailedBatchesUrl(),
                    local.coldChainFailedBatchesUrl(), local.canonicalStream());
            DeadLetterDecoder decoder = new S3ClaimCheckStore(clients.s3(), STACK_NAMES.deadLetterBucket())::decode;
            ReplayRun.Report report = ReplayRun.of(clients.sqs(), clients.kinesis(), RecordNormalizer.standard(),
                    decoder, LOCAL_RECEIVE_WAIT_SECONDS).run(resources, options);
            print(report, out);
            return report.complete() ? 0 : UserError.FAILED;
        }
    }

    /** The local stack's resources: the state file's stream and queue, the on-failure queues by their names. */
    static ReplayResources localResources(StackState state, SqsClient sqs) {
        String ingest = queueUrl(sqs, STACK_NAMES.onFailureQueue());
        if (ingest == null) {
            throw UserError.failed("the local stack has no queue " + STACK_NAMES.onFailureQueue()
                    + ": is it a ./waybill stack of this version?");
        }
        return new ReplayResources("the local stack", state.stream(), state.deadLetterQueueUrl(), ingest,
                queueUrl(sqs, STACK_NAMES.coldChainOnFailureQueue()), STACK_NAMES.canonicalStream());
    }

    private static String queueUrl(SqsClient sqs, String name) {
        try {
            return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            return null;
        }
    }

    /** Replays against a deployed stage: names from the stack's outputs, credentials from the default chain. */
    static int stage(String stage, String profile, String region, ReplayRun.Options options, PrintStream out) {
        return onStage(stage, profile, region, (clients, stackName, outputs) -> {
            ReplayResources resources = stageResources(stage, stackName, outputs, clients.region().id());
            // Claim-checked letters: their payloads from the stage's bucket (output DeadLetterBucketName).
            String bucket = outputs.get(StageStack.DEAD_LETTER_BUCKET_OUTPUT);
            DeadLetterDecoder decoder = bucket == null ? DeadLetterDecoder.JSON
                    : new S3ClaimCheckStore(clients.s3(), bucket)::decode;
            ReplayRun.Report report = ReplayRun.of(clients.sqs(), clients.kinesis(), RecordNormalizer.standard(),
                    decoder, STAGE_RECEIVE_WAIT_SECONDS).run(resources, options);
            print(report, out);
            return report.complete() ? 0 : UserError.FAILED;
        });
    }

    /** What a command does with a deployed stage, once its clients and its stack's outputs are at hand. */
    @FunctionalInterface
    interface StageWork {
        /** @return the exit code */
        int run(StageClients clients, String stackName, Map<String, String> outputs);
    }

    /**
     * Opens clients for a deployed stage (credentials from the default chain, or {@code profile}), reads its stack's
     * outputs and runs {@code work}; an SDK failure (no credentials, access denied) is one line, exit 1.
     */
    static int onStage(String stage, String profile, String region, StageWork work) {
        String stackName;
        try {
            stackName = StageStack.stackName(stage);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--stage: " + e.getMessage());
        }
        try (StageClients clients = StageClients.open(profile, region)) {
            Map<String, String> outputs;
            try {
                outputs = StageStack.outputs(clients.cloudFormation(), stackName);
            } catch (IllegalArgumentException e) {
                throw UserError.failed(e.getMessage() + " (region " + clients.region() + ")");
            }
            return work.run(clients, stackName, outputs);
        } catch (SdkException e) {
            String hint = String.valueOf(e.getMessage()).startsWith("Unable to load credentials")
                    ? "no AWS credentials (sign in, e.g. aws sso login, or name a profile with --profile): " : "";
            throw UserError.failed("stage " + stage + ": " + hint + UserError.describe(e));
        }
    }

    /** A stage's resources from its stack's outputs. */
    static ReplayResources stageResources(String stage, String stackName, Map<String, String> outputs, String region) {
        ReplayResources r;
        try {
            r = ReplayResources.fromStackOutputs(stackName, outputs);
        } catch (IllegalArgumentException e) {
            throw UserError.failed(e.getMessage());
        }
        return new ReplayResources("stage " + stage + " (stack " + stackName + ", " + region + ")",
                r.telemetryStream(), r.deadLetterQueueUrl(), r.ingestFailedBatchesUrl(),
                r.coldChainFailedBatchesUrl(), r.canonicalStream());
    }

    /** The report: one paragraph per source, one line per range, then what to do about anything left behind. */
    static void print(ReplayRun.Report report, PrintStream out) {
        boolean dry = report.options().dryRun();
        out.println("replay against " + report.resources().where()
                + (dry ? " (dry run: nothing is put, deleted or kept hidden)" : ""));
        DeadLetterReplay.Result d = report.deadLetters();
        if (d != null) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  dead letters -> %s: %,d examined; %,d %s%s",
                    report.resources().telemetryStream(), d.examined(), d.replayed(),
                    dry ? "would be re-driven" : "re-driven", counts(d.replayedByReason())));
            if (!d.stillFailing().isEmpty()) {
                b.append(String.format(Locale.ROOT, "; %,d kept, rejected again now%s", sum(d.stillFailing()),
                        counts(d.stillFailing())));
            }
            if (!d.notSelected().isEmpty()) {
                b.append(String.format(Locale.ROOT, "; %,d kept, not selected%s", sum(d.notSelected()),
                        counts(d.notSelected())));
            }
            if (d.unreadable() > 0) {
                b.append(String.format(Locale.ROOT, "; %,d kept, unreadable", d.unreadable()));
            }
            if (!d.notPut().isEmpty()) {
                b.append(String.format(Locale.ROOT, "; %,d kept, not put", d.notPut().size()));
            }
            out.println(b);
            d.notPut().forEach(n -> out.println("    not put: " + n));
            Map<RejectionReason, Integer> evidence = only(d.notSelected(), RejectionReason::securityEvidence);
            if (!evidence.isEmpty()) {
                out.printf(Locale.ROOT, "    identity rejections kept%s: evidence of an attack or a broken device, never"
                                + " re-driven unless named (--reason); list them with --dry-run --reason %s, revoke a"
                                + " compromised device with ./waybill devices revoke --thing THING%n", counts(evidence),
                        evidence.keySet().stream().map(Enum::name).collect(Collectors.joining(",")));
            }
            Map<RejectionReason, Integer> registry = only(d.replayedByReason(),
                    DeadLetterReplay.REGISTRY_DECIDED::contains);
            if (!registry.isEmpty()) {
                out.printf(Locale.ROOT, "    %s%s: the replay does not read the device registry; ingest checks them"
                        + " again (a fresh read), and a device still not registered or assigned (or a signature still"
                        + " bad) is dead-lettered again with the same reason%n", dry ? "would be re-driven" : "re-driven",
                        counts(registry));
            }
        }
        for (FailedBatchReplay.Result r : report.failedBatches()) {
            // A lost range's readable records are re-driven too (they are about to expire as well).
            long toRedrive = r.ranges().stream().filter(x -> x.status() == FailedBatchReplay.Status.WOULD_REDRIVE
                    || x.status() == FailedBatchReplay.Status.LOST).mapToLong(FailedBatchReplay.RangeOutcome::read).sum();
            out.printf(Locale.ROOT, "  failed batches of %s: %,d range%s, %,d records read again, %,d %s%n",
                    r.consumer(), r.ranges().size(), r.ranges().size() == 1 ? "" : "s", r.recordsRead(),
                    dry ? toRedrive : r.recordsRedriven(), dry ? "would be re-driven" : "re-driven");
            for (FailedBatchReplay.RangeOutcome o : r.ranges()) {
                out.println("    " + describe(o));
            }
            r.unreadable().forEach(u -> out.println("    unreadable, kept: " + u));
        }
        long lost = report.lostRanges();
        if (lost > 0) {
            out.printf(Locale.ROOT, "replay: %,d range%s LOST (records no longer in the stream; the on-failure"
                    + " message%s kept): re-drive them from the raw archive (./waybill backfill) for the time the"
                    + " range covers%n", lost, lost == 1 ? "" : "s", lost == 1 ? " is" : "s are");
        }
        if (!report.complete()) {
            out.println("replay: not everything was re-driven; what was left is still in its queue (exit 1)");
        }
    }

    private static String describe(FailedBatchReplay.RangeOutcome o) {
        StringBuilder b = new StringBuilder(o.batch().range());
        b.append(" (").append(o.batch().streamName());
        if (o.batch().condition() != null) {
            b.append(", ").append(o.batch().condition());
        }
        if (o.batch().batchSize() != null) {
            b.append(", batch of ").append(o.batch().batchSize());
        }
        if (o.batch().firstArrival() != null) {
            b.append(", first arrived ").append(o.batch().firstArrival());
        }
        b.append("): ");
        switch (o.status()) {
            case REDRIVEN -> b.append(o.redriven()).append(" records re-driven, message deleted");
            case WOULD_REDRIVE -> b.append(o.read()).append(" records, would be re-driven");
            case LOST -> b.append("LOST, ").append(o.read()).append(" records readable")
                    .append(o.redriven() > 0 ? " (" + o.redriven() + " re-driven)" : "").append(": ").append(o.detail())
                    .append("; message kept");
            case FAILED -> b.append("FAILED: ").append(o.detail()).append("; message kept");
            case FOREIGN_STREAM -> b.append("not replayed: ").append(o.detail()).append("; message kept");
        }
        return b.toString();
    }

    private static String counts(Map<RejectionReason, Integer> byReason) {
        if (byReason.isEmpty()) {
            return "";
        }
        return byReason.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static Map<RejectionReason, Integer> only(Map<RejectionReason, Integer> byReason,
                                                     java.util.function.Predicate<RejectionReason> which) {
        Map<RejectionReason, Integer> out = new java.util.EnumMap<>(RejectionReason.class);
        byReason.forEach((reason, n) -> {
            if (which.test(reason)) {
                out.put(reason, n);
            }
        });
        return out;
    }

    private static int sum(Map<RejectionReason, Integer> byReason) {
        return byReason.values().stream().mapToInt(Integer::intValue).sum();
    }
}
