package io.waybill.local.replay;

import io.waybill.aws.stream.RecordRedrive;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Re-drives the batches an event source mapping gave up on: each on-failure record ({@link FailedBatch}) names a
 * range of a shard; the range is read again from the stream ({@link StreamRangeReader}) and every record of it is put
 * back on that same stream with its original partition key ({@link RecordRedrive}), so the mapping's function gets
 * it again, in order per key, and every other consumer of that stream too (they absorb what they already have:
 * ingest by event id, the cold chain by evidence key). The on-failure message is deleted only once every record of
 * its range was put.
 *
 * <p>A message stays in its queue, and the run is not {@linkplain Result#complete() complete}, when its range is
 * {@link Status#LOST} (no longer in the stream: the readable rest is re-driven all the same), when a record could not
 * be put or read ({@link Status#FAILED}), when it names a stream that is not one of those this consumer reads
 * ({@link Status#FOREIGN_STREAM}: a replay never writes where a stray message points), or when it is not an
 * on-failure record at all.
 */
public final class FailedBatchReplay {
    /** How long a received on-failure record stays invisible while its range is read and re-driven. */
    public static final int VISIBILITY_SECONDS = 300;

    /** What became of one on-failure record. */
    public enum Status {
        /** Every record of the range was put back on its stream; the message was deleted. */
        REDRIVEN,
        /** Dry run: the range is readable whole and would be re-driven. */
        WOULD_REDRIVE,
        /** The range, or part of it, is no longer in the stream; the message is kept. */
        LOST,
        /** Reading or putting failed for another reason; the message is kept. */
        FAILED,
        /** The range is in a stream this consumer does not read; the message is kept, nothing is read or put. */
        FOREIGN_STREAM
    }

    /**
     * One on-failure record and what the replay did with it.
     *
     * @param batch    the range
     * @param status   the outcome
     * @param read     records of the range read from the stream
     * @param redriven records put back on the stream (0 in a dry run)
     * @param detail   why, for anything but a whole re-drive; else empty
     */
    public record RangeOutcome(FailedBatch batch, Status status, int read, int redriven, String detail) {
    }

    /**
     * What a replay of one on-failure queue did.
     *
     * @param consumer   which mapping's failures ({@code ingest}, {@code cold chain})
     * @param queueUrl   its on-failure queue
     * @param examined   messages read
     * @param ranges     one outcome per on-failure record, in the order read
     * @param unreadable messages that are no on-failure record (kept), with why
     */
    public record Result(String consumer, String queueUrl, int examined, List<RangeOutcome> ranges,
                         List<String> unreadable) {
        public Result {
            ranges = List.copyOf(ranges);
            unreadable = List.copyOf(unreadable);
        }

        public long count(Status status) {
            return ranges.stream().filter(r -> r.status() == status).count();
        }

        /** Records read again, over every range. */
        public long recordsRead() {
            return ranges.stream().mapToLong(RangeOutcome::read).sum();
        }

        /** Records put back, over every range. */
        public long recordsRedriven() {
            return ranges.stream().mapToLong(RangeOutcome::redriven).sum();
        }

        /** Every message was re-driven (or, in a dry run, would be). */
        public boolean complete() {
            return unreadable.isEmpty() && ranges.stream()
                    .allMatch(r -> r.status() == Status.REDRIVEN || r.status() == Status.WOULD_REDRIVE);
        }
    }

    private final SqsClient sqs;
    private final StreamRangeReader reader;
    private final RecordRedrive redrive;
    private final int waitSeconds;

    /**
     * @param waitSeconds the receive wait: 0 on the local stack, ≥ 1 on AWS ({@link QueueSweep})
     */
    public FailedBatchReplay(SqsClient sqs, StreamRangeReader reader, RecordRedrive redrive, int waitSeconds) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.redrive = Objects.requireNonNull(redrive, "redrive");
        this.waitSeconds = waitSeconds;
    }

    public FailedBatchReplay(SqsClient sqs, KinesisClient kinesis, int waitSeconds) {
        this(sqs, new StreamRangeReader(kinesis), new RecordRedrive(kinesis), waitSeconds);
    }

    /**
     * @param consumer the mapping's name in reports
     * @param queueUrl its on-failure queue
     * @param streams  the streams that mapping reads: a range in any other stream is {@link Status#FOREIGN_STREAM}
     * @param dryRun   read the ranges and report, put and delete nothing
     */
    public Result replay(String consumer, String queueUrl, Set<String> streams, boolean dryRun) {
        List<RangeOutcome> ranges = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        int examined = new QueueSweep(sqs, VISIBILITY_SECONDS, waitSeconds).sweep(queueUrl, batch -> {
            Set<Message> delete = new HashSet<>();
            for (Message m : batch) {
                FailedBatch failed;
                try {
                    failed = FailedBatch.fromJson(m.body());
                } catch (IllegalArgumentException e) {
                    unreadable.add("message " + m.messageId() + ": " + e.getMessage());
                    continue;
                }
                RangeOutcome outcome = replay(failed, streams, dryRun);
                ranges.add(outcome);
                if (outcome.status() == Status.REDRIVEN) {
                    delete.add(m);
                }
            }
            return delete;
        });
        return new Result(consumer, queueUrl, examined, ranges, unreadable);
    }

    private RangeOutcome replay(FailedBatch batch, Set<String> streams, boolean dryRun) {
        String stream = batch.streamName();
        if (!streams.contains(stream)) {
            return new RangeOutcome(batch, Status.FOREIGN_STREAM, 0, 0, "stream " + stream + " is not "
                    + String.join(" or ", new TreeSet<>(streams)));
        }
        StreamRangeReader.Read read;
        try {
            read = reader.read(batch);
        } catch (SdkException e) {
            return new RangeOutcome(batch, Status.FAILED, 0, 0, "reading the range: " + e.getMessage());
        }
        List<Record> records = read.records();
        int redriven = 0;
        String notPut = null;
        if (!dryRun && !records.isEmpty()) {
            try {
                RecordRedrive.Outcome o = redrive.put(stream, records.stream()
                        .map(r -> new RecordRedrive.Entry(r.partitionKey(), r.data())).toList());
                redriven = o.put();
                if (!o.complete()) {
                    notPut = o.notPut().size() + " records not put (" + o.notPut().get(0).error() + ")";
                }
            } catch (SdkException e) {
                notPut = "putting the records: " + e.getMessage();
            }
        }
        if (read instanceof StreamRangeReader.Lost lost) {
            return new RangeOutcome(batch, Status.LOST, records.size(), redriven,
                    lost.why() + (notPut == null ? "" : "; " + notPut));
        }
        if (notPut != null) {
            return new RangeOutcome(batch, Status.FAILED, records.size(), redriven, notPut);
        }
        return new RangeOutcome(batch, dryRun ? Status.WOULD_REDRIVE : Status.REDRIVEN, records.size(), redriven, "");
    }
}
