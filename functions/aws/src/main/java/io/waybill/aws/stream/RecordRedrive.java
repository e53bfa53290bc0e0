package io.waybill.aws.stream;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts records back on a stream: PutRecords calls within Kinesis' limits ({@value #MAX_RECORDS_PER_CALL} records and
 * {@value #MAX_BYTES_PER_CALL} bytes a call, partition keys included), each record with the partition key it had.
 * The entries a call rejects ({@code ProvisionedThroughputExceededException}, {@code InternalFailure}, a KMS
 * throttle) are sent again, alone, after a backoff ({@link #FIRST_BACKOFF} doubling to {@link #MAX_BACKOFF}), up to
 * {@value #MAX_ATTEMPTS} attempts in all; what still fails is named in the {@link Outcome}, so the caller keeps the
 * message that asked for the re-drive. A call that fails as a whole (no such stream, access denied) throws.
 */
public final class RecordRedrive {
    /** Kinesis PutRecords: at most 500 records a call. */
    public static final int MAX_RECORDS_PER_CALL = 500;
    /** Kinesis PutRecords: at most 5 MiB a call (data and partition keys). */
    public static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    /** Attempts per record, the first included. */
    public static final int MAX_ATTEMPTS = 5;
    /** Wait before the first resend, doubled per attempt up to {@link #MAX_BACKOFF}. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** Longest wait between two attempts. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** Waits between attempts (tests pass one that does not sleep). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        /** Sleeps; an interrupt is kept on the thread and ends the work in hand. */
        default void pause(Duration d) {
            try {
                sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting " + d.toMillis() + " ms", e);
            }
        }
    }

    /**
     * One record to put.
     *
     * @param partitionKey the key it had (so it lands on the shard its producer's records are ordered on)
     * @param data         its bytes, unchanged
     */
    public record Entry(String partitionKey, SdkBytes data) {
        public Entry {
            Objects.requireNonNull(partitionKey, "partitionKey");
            Objects.requireNonNull(data, "data");
        }

        long size() {
            return data.asByteBuffer().remaining() + (long) partitionKey.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /**
     * A record still not put after every attempt.
     *
     * @param index its position in the entries given to {@link #put}
     * @param error the last error PutRecords gave for it ({@code errorCode: message})
     */
    public record NotPut(int index, String error) {
    }

    /**
     * What a re-drive did.
     *
     * @param put    records the stream accepted
     * @param notPut the records that are still not put, in entry order
     * @param calls  PutRecords calls made
     */
    public record Outcome(int put, List<NotPut> notPut, int calls) {
        public Outcome {
            notPut = List.copyOf(notPut);
        }

        /** Every record was put. */
        public boolean complete() {
            return notPut.isEmpty();
        }
    }

    private final KinesisClient kinesis;
    private final Sleeper sleeper;

    public RecordRedrive(KinesisClient kinesis, Sleeper sleeper) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    public RecordRedrive(KinesisClient kinesis) {
        this(kinesis, d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Puts every entry on {@code stream}.
     *
     * @throws software.amazon.awssdk.core.exception.SdkException when a call fails as a whole
     */
    public Outcome put(String stream, List<Entry> entries) {
        int put = 0;
        int calls = 0;
        List<NotPut> notPut = new ArrayList<>();
        int from = 0;
        while (from < entries.size()) {
            int to = from;
            long bytes = 0;
            while (to < entries.size() && to - from < MAX_RECORDS_PER_CALL
                    && (to == from || bytes + entries.get(to).size() <= MAX_BYTES_PER_CALL)) {
                bytes += entries.get(to).size();
                to++;
            }
            Outcome o = putWithRetries(stream, entries, from, to);
            put += o.put();
            calls += o.calls();
            notPut.addAll(o.notPut());
            from = to;
        }
        return new Outcome(put, notPut, calls);
    }

    /** Entries {@code [from, to)} in one call, then the ones it rejected again until put or out of attempts. */
    private Outcome putWithRetries(String stream, List<Entry> entries, int from, int to) {
        int put = 0;
        int calls = 0;
        List<Integer> pending = new ArrayList<>();
        for (int i = from; i < to; i++) {
            pending.add(i);
        }
        List<NotPut> rejected = List.of();
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<Integer> sending = pending;
            PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(sending.stream()
                    .map(entries::get)
                    .map(e -> PutRecordsRequestEntry.builder().partitionKey(e.partitionKey()).data(e.data()).build())
                    .toList()));
            calls++;
            List<Integer> again = new ArrayList<>();
            List<NotPut> errors = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < sending.size(); i++) {
                PutRecordsResultEntry r = i < results.size() ? results.get(i) : null;
                if (r != null && r.errorCode() == null) {
                    put++;
                } else {
                    again.add(sending.get(i));
                    errors.add(new NotPut(sending.get(i),
                            r == null ? "no result entry" : r.errorCode() + ": " + r.errorMessage()));
                }
            }
            pending = again;
            rejected = errors;
            if (pending.isEmpty() || attempt == MAX_ATTEMPTS) {
                break;
            }
            sleeper.pause(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        return new Outcome(put, pending.isEmpty() ? List.of() : rejected, calls);
    }
}
