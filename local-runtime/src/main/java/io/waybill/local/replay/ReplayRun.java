package io.waybill.local.replay;

import io.waybill.domain.normalize.RecordNormalizer;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code ./waybill replay}: the chosen sources, in order — ingest's dead letters ({@link DeadLetterReplay}), then
 * the failed batches of the ingest mapping and of the cold-chain mapping ({@link FailedBatchReplay}) — against one
 * set of {@link ReplayResources}, local or deployed.
 */
public final class ReplayRun {
    /** The ingest mapping, in reports. */
    public static final String INGEST = "ingest";
    /** The cold-chain mapping, in reports. */
    public static final String COLD_CHAIN = "cold chain";

    /** What to replay. */
    public enum Source {
        /** Ingest's dead letters. */
        DEAD_LETTERS("dead-letters"),
        /** The on-failure records of the ingest and cold-chain mappings. */
        FAILED_BATCHES("failed-batches"),
        /** Both. */
        ALL("all");

        private final String option;

        Source(String option) {
            this.option = option;
        }

        /** The {@code --source} value. */
        public String option() {
            return option;
        }

        /**
         * @throws IllegalArgumentException naming the values it takes
         */
        public static Source of(String option) {
            for (Source s : values()) {
                if (s.option.equals(option.trim().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown --source '" + option
                    + "' (expected dead-letters, failed-batches or all)");
        }

        boolean deadLetters() {
            return this != FAILED_BATCHES;
        }

        boolean failedBatches() {
            return this != DEAD_LETTERS;
        }
    }

    /**
     * @param source    what to replay
     * @param selection which dead letters
     * @param dryRun    decide and report, change nothing
     */
    public record Options(Source source, DeadLetterReplay.Selection selection, boolean dryRun) {
        public Options {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(selection, "selection");
        }
    }

    /**
     * What a replay did.
     *
     * @param deadLetters   the dead letters' result, or null when not replayed
     * @param failedBatches one result per on-failure queue replayed
     */
    public record Report(ReplayResources resources, Options options, DeadLetterReplay.Result deadLetters,
                         List<FailedBatchReplay.Result> failedBatches) {
        public Report {
            failedBatches = List.copyOf(failedBatches);
        }

        /** Ranges no longer in their stream, over every on-failure queue. */
        public long lostRanges() {
            return failedBatches.stream().mapToLong(r -> r.count(FailedBatchReplay.Status.LOST)).sum();
        }

        /**
         * Nothing was left behind except dead letters the current code would still reject or the selection left
         * out: no range lost, nothing unread, unreadable or not put.
         */
        public boolean complete() {
            return (deadLetters == null || deadLetters.complete())
                    && failedBatches.stream().allMatch(FailedBatchReplay.Result::complete);
        }
    }

    private final DeadLetterReplay deadLetters;
    private final FailedBatchReplay failedBatches;

    public ReplayRun(DeadLetterReplay deadLetters, FailedBatchReplay failedBatches) {
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.failedBatches = Objects.requireNonNull(failedBatches, "failedBatches");
    }

    /**
     * @param decoder     how dead letters are read ({@link DeadLetterDecoder#JSON} today)
     * @param waitSeconds the receive wait: 0 on the local stack, ≥ 1 on AWS ({@link QueueSweep})
     */
    public static ReplayRun of(SqsClient sqs, KinesisClient kinesis, RecordNormalizer normalizer,
                               DeadLetterDecoder decoder, int waitSeconds) {
        return new ReplayRun(new DeadLetterReplay(sqs, kinesis, normalizer, decoder, waitSeconds),
                new FailedBatchReplay(sqs, kinesis, waitSeconds));
    }

    public Report run(ReplayResources resources, Options options) {
        DeadLetterReplay.Result letters = null;
        if (options.source().deadLetters()) {
            letters = deadLetters.replay(
                    resources.deadLetterQueueUrl(), resources.telemetryStream(), options.selection(), options.dryRun());
        }
        List<FailedBatchReplay.Result> batches = new ArrayList<>();
        if (options.source().failedBatches()) {
            batches.add(failedBatches.replay(INGEST, resources.ingestFailedBatchesUrl(), resources.ingestStreams(),
                    options.dryRun()));
            if (resources.coldChainFailedBatchesUrl() != null) {
                batches.add(failedBatches.replay(COLD_CHAIN, resources.coldChainFailedBatchesUrl(),
                        resources.coldChainStreams(), options.dryRun()));
            }
        }
        return new Report(resources, options, letters, batches);
    }
}
