package io.waybill.local.cli;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterJson;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./waybill replay} and its alias {@code replay-dlq} against a running local stack (this JVM plays the stack
 * process: its state file names this JVM), through {@link WaybillCli#run}.
 */
@Timeout(120)
class ReplayCommandTest {
    @TempDir
    static Path root;
    private static StackInThisJvm running;
    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;

    @BeforeAll
    static void startStack() {
        running = StackInThisJvm.start(root, b -> b);
        stack = running.stack();
        pipeline = running.pipeline();
    }

    @AfterAll
    static void stopStack() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void dryRunThenTheAliasReDriveADeadLetterThatPassesNow() {
        byte[] payload = SampleCatalog.valid().get(0).compactRaw();
        String letter = DeadLetterJson.toJson(new DeadLetter(payload, RejectionReason.OVERSIZED, "over 1024 bytes", null,
                new RecordOrigin("arn:aws:kinesis:us-east-1:000000000000:stream/waybill-telemetry",
                        "shardId-000000000000", "1", "CC-0009"), null, Instant.parse("2026-12-01T10:00:00Z")));
        stack.clients().sqs().sendMessage(m -> m.queueUrl(pipeline.deadLetterQueueUrl()).messageBody(letter));

        CliRun dry = CliRun.of(root, "replay", "--dry-run");

        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out().lines()).containsExactly(
                "replay against the local stack (dry run: nothing is put, deleted or kept hidden)",
                "  dead letters -> waybill-telemetry: 1 examined; 1 would be re-driven (OVERSIZED 1)",
                "  failed batches of ingest: 0 ranges, 0 records read again, 0 would be re-driven");
        assertThat(pipeline.deadLetterCount()).isEqualTo(1);

        CliRun alias = CliRun.of(root, "replay-dlq");

        assertThat(alias.exit()).as(alias.err()).isZero();
        assertThat(alias.out().lines()).containsExactly("replay against the local stack",
                "  dead letters -> waybill-telemetry: 1 examined; 1 re-driven (OVERSIZED 1)");
        assertThat(pipeline.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(pipeline.deadLetterCount()).isZero();
        assertThat(pipeline.storedEvents()).hasSize(1);
    }

    /**
     * A range the stream does not hold (kinesis-mock refuses the iterator, as AWS does for an expired position) is
     * LOST: named, kept, exit 1, with what to do.
     */
    @Test
    void aRangeTheStreamNoLongerHoldsIsLostKeptAndExitsOne() {
        String queue = stack.clients().sqs().getQueueUrl(q -> q.queueName(ReplayCommand.STACK_NAMES.onFailureQueue()))
                .queueUrl();
        String arn = stack.clients().kinesis().describeStreamSummary(b -> b.streamName("waybill-telemetry"))
                .streamDescriptionSummary().streamARN();
        String seq = "49000000000000000000000000000000000000000000000000000001";
        stack.clients().sqs().sendMessage(m -> m.queueUrl(queue).messageBody("{\"KinesisBatchInfo\":{\"shardId\":"
                + "\"shardId-000000000000\",\"startSequenceNumber\":\"" + seq + "\",\"endSequenceNumber\":\"" + seq
                + "\",\"batchSize\":1,\"streamArn\":\"" + arn + "\"},\"requestContext\":{\"condition\":"
                + "\"RecordAgeExceeded\"}}"));
        try {
            CliRun r = CliRun.of(root, "replay", "--source", "failed-batches");

            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
            assertThat(r.out().lines()).element(1)
                    .isEqualTo("  failed batches of ingest: 1 range, 0 records read again, 0 re-driven");
            assertThat(r.out().lines()).element(2).asString().startsWith("    shardId-000000000000 " + seq + ".." + seq
                    + " (waybill-telemetry, RecordAgeExceeded, batch of 1): LOST, 0 records readable: ")
                    .endsWith("; message kept");
            assertThat(r.out()).contains("replay: 1 range LOST (records no longer in the stream; the on-failure"
                    + " message is kept): re-drive them from the raw archive (./waybill backfill)");
            assertThat(r.hasNoStackTrace()).isTrue();
            assertThat(pipeline.onFailureCount()).as("the message is kept").isEqualTo(1);
        } finally {
            stack.clients().sqs().purgeQueue(p -> p.queueUrl(queue));
        }
    }
}
