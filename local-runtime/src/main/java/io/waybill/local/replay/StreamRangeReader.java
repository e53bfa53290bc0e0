package io.waybill.local.replay;

import io.waybill.aws.stream.RecordRedrive;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a failed batch's records again from its shard: {@code GetShardIterator(AT_SEQUENCE_NUMBER, start)}, then
 * {@code GetRecords} up to and including the end sequence number.
 *
 * <p><b>When the records are gone.</b> A stream keeps records for its retention period (24 h by default, up to 365
 * days); a range older than that cannot be read. AWS says so in more than one way, and each is a {@link Lost} range,
 * never an empty success:
 * <ul>
 *   <li>{@code GetShardIterator} fails with {@code InvalidArgumentException} (the starting sequence number is no
 *       longer, or never was, in the shard) or {@code ResourceNotFoundException} (the shard itself was deleted, a
 *       closed shard once its records all expired);</li>
 *   <li>the iterator is granted but the records start after the range's first sequence number (the start was
 *       trimmed), or the reads reach the tip of the shard, or its end, without the range's last record, or fewer
 *       records than the batch held come back.</li>
 * </ul>
 * An {@code ExpiredIteratorException} (an iterator is valid for 5 minutes) is not a loss: the reader asks for a new
 * iterator after the last record it read ({@value #MAX_ITERATOR_RENEWALS} times in a row at most). Throttled reads
 * ({@code ProvisionedThroughputExceededException}, a KMS throttle: the shard's 5 reads/s are shared with its
 * consumers) wait {@link #THROTTLE_PAUSE} and try again, {@value #MAX_THROTTLED_READS} times in a row at most.
 */
public final class StreamRangeReader {
    /** The most records one GetRecords call returns. */
    public static final int MAX_RECORDS_PER_READ = 10_000;
    /** Consecutive empty reads before the range's start is taken as unreadable. */
    public static final int MAX_EMPTY_READS = 20;
    /** Consecutive expired iterators renewed before the read gives up. */
    public static final int MAX_ITERATOR_RENEWALS = 3;
    /** Consecutive throttled reads retried before the read gives up. */
    public static final int MAX_THROTTLED_READS = 5;
    /** Wait after a throttled read, and between two reads of one range (a shard serves 5 reads/s). */
    public static final Duration THROTTLE_PAUSE = Duration.ofMillis(1_000);
    public static final Duration READ_PAUSE = Duration.ofMillis(200);

    /** What reading a range found. */
    public sealed interface Read permits Complete, Lost {
        /** The records read, in shard order (all of them when complete, the survivors when lost). */
        List<Record> records();
    }

    /** Every record of the range, in shard order. */
    public record Complete(List<Record> records) implements Read {
        public Complete {
            records = List.copyOf(records);
        }
    }

    /**
     * The range, or part of it, is no longer in the stream.
     *
     * @param records the records of the range still readable (may be empty)
     * @param why     what said so
     */
    public record Lost(List<Record> records, String why) implements Read {
        public Lost {
            records = List.copyOf(records);
        }
    }

    private final KinesisClient kinesis;
    private final RecordRedrive.Sleeper sleeper;

    public StreamRangeReader(KinesisClient kinesis, RecordRedrive.Sleeper sleeper) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public StreamRangeReader(KinesisClient kinesis) {
        this(kinesis, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Reads the range of {@code batch}.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException for a failure that says nothing about the records
     *                                                             (access denied, network): the caller keeps the
     *                                                             message and reports it
     */
    public Read read(FailedBatch batch) {
        String stream = batch.streamName();
        BigInteger start = batch.start();
        BigInteger end = batch.end();
        int limit = batch.batchSize() == null ? MAX_RECORDS_PER_READ : Math.min(MAX_RECORDS_PER_READ, batch.batchSize());
        List<Record> read = new ArrayList<>();
        String iterator;
        try {
            iterator = iterator(stream, batch.shardId(), ShardIteratorType.AT_SEQUENCE_NUMBER, batch.startSequenceNumber());
        } catch (InvalidArgumentException | ResourceNotFoundException e) {
            return new Lost(read, "GetShardIterator AT_SEQUENCE_NUMBER " + batch.startSequenceNumber() + ": "
                    + describe(e));
        }
        int empty = 0;
        int renewals = 0;
        int throttled = 0;
        boolean reachedEnd = false;
        String stoppedBecause = null;
        while (!reachedEnd) {
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = kinesis.getRecords(r -> r.shardIterator(current).limit(limit));
                renewals = 0;
                throttled = 0;
            } catch (ExpiredIteratorException e) {
                if (++renewals > MAX_ITERATOR_RENEWALS) {
                    throw e;
                }
                try {
                    iterator = read.isEmpty()
                            ? iterator(stream, batch.shardId(), ShardIteratorType.AT_SEQUENCE_NUMBER, batch.startSequenceNumber())
                            : iterator(stream, batch.shardId(), ShardIteratorType.AFTER_SEQUENCE_NUMBER,
                            read.get(read.size() - 1).sequenceNumber());
                } catch (InvalidArgumentException | ResourceNotFoundException gone) {
                    return new Lost(read, "GetShardIterator after an expired iterator: "
                            + describe(gone));
                }
                continue;
            } catch (ProvisionedThroughputExceededException | KmsThrottlingException e) {
                if (++throttled > MAX_THROTTLED_READS) {
                    throw e;
                }
                sleeper.pause(THROTTLE_PAUSE);
                continue;
            }
            for (Record r : response.records()) {
                BigInteger seq = new BigInteger(r.sequenceNumber());
                if (seq.compareTo(end) > 0) {
                    reachedEnd = true;
                    break;
                }
                if (seq.compareTo(start) >= 0) {
                    read.add(r);
                }
                if (seq.equals(end)) {
                    reachedEnd = true;
                    break;
                }
            }
            if (reachedEnd) {
                break;
            }
            iterator = response.nextShardIterator();
            if (iterator == null) {
                stoppedBecause = "the shard is closed and ends before the range does";
                break;
            }
            if (response.records().isEmpty()) {
                Long behind = response.millisBehindLatest();
                if (behind != null && behind == 0L) {
                    stoppedBecause = "the reads reached the tip of the shard without the range's last record";
                    break;
                }
                if (++empty >= MAX_EMPTY_READS) {
                    stoppedBecause = empty + " reads in a row returned nothing (" + behind
                            + " ms behind the tip): the position is not readable";
                    break;
                }
            } else {
                empty = 0;
            }
            sleeper.pause(READ_PAUSE);
        }
        return judge(batch, read, stoppedBecause);
    }

    private static Read judge(FailedBatch batch, List<Record> read, String stoppedBecause) {
        if (read.isEmpty()) {
            return new Lost(read, "no record of the range is in the stream any more"
                    + (stoppedBecause == null ? "" : " (" + stoppedBecause + ")"));
        }
        String first = read.get(0).sequenceNumber();
        String last = read.get(read.size() - 1).sequenceNumber();
        if (!first.equals(batch.startSequenceNumber())) {
            return new Lost(read, "the range's first records are gone: the first readable is " + first
                    + ", " + read.size() + " records readable");
        }
        if (!last.equals(batch.endSequenceNumber())) {
            return new Lost(read, "the range's last records cannot be read: the last readable is " + last
                    + (stoppedBecause == null ? "" : " (" + stoppedBecause + ")"));
        }
        if (batch.batchSize() != null && read.size() < batch.batchSize()) {
            return new Lost(read, read.size() + " of the batch's " + batch.batchSize() + " records are readable");
        }
        return new Complete(read);
    }

    private String iterator(String stream, String shard, ShardIteratorType type, String sequence) {
        return kinesis.getShardIterator(r -> r.streamName(stream).shardId(shard).shardIteratorType(type)
                .startingSequenceNumber(sequence)).shardIterator();
    }

    /** {@code <AWS error code> (<message>)}. */
    static String describe(software.amazon.awssdk.awscore.exception.AwsServiceException e) {
        var details = e.awsErrorDetails();
        String code = details != null && details.errorCode() != null ? details.errorCode() : e.getClass().getSimpleName();
        String message = details != null && details.errorMessage() != null ? details.errorMessage() : e.getMessage();
        return code + " (" + message + ")";
    }
}
