package io.waybill.aws.stream;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Publishes canonical events onto the canonical Kinesis stream with PutRecords, partitioned by shipment
 * ({@link CanonicalEventPublisher#partitionKey}), within Kinesis' limits: at most 500 records and 5 MiB a call, a
 * partition key of at most 256 characters (a longer one is replaced by its SHA-256), a record of at most 1 MiB.
 *
 * <p>PutRecords may fail some entries of a call (throttling, an internal error) and store the rest, which would
 * reorder a shipment's events. So when an entry fails, it and every later entry with the same partition key are put
 * again, in order, even those that succeeded: per shipment the newest copy of every event on the stream is in batch
 * order, at the price of duplicates, which consumers absorb by {@code source + id}. Retried a few times within the
 * invocation; what still fails is reported as not published and the ingest batch is redelivered from there.
 */
public final class KinesisCanonicalEventPublisher implements CanonicalEventPublisher {
    public static final int MAX_RECORDS_PER_CALL = 500;
    public static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    public static final int MAX_PARTITION_KEY_LENGTH = 256;
    static final int ATTEMPTS = 4;

    private final KinesisClient kinesis;
    private final String streamName;
    private final String dependency;

    public KinesisCanonicalEventPublisher(KinesisClient kinesis, String streamName) {
        this.kinesis = kinesis;
        this.streamName = streamName;
        this.dependency = "canonical stream " + streamName;
    }

    @Override
    public int publish(List<Publication> events) {
        int n = events.size();
        List<PutRecordsRequestEntry> entries = new ArrayList<>(n);
        for (Publication p : events) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(boundedKey(CanonicalEventPublisher.partitionKey(p.event())))
                    .data(SdkBytes.fromString(p.json(), StandardCharsets.UTF_8)).build());
        }
        List<Integer> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(i);
        }
        for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
            if (attempt > 0) {
                sleep(50L << attempt);
            }
            List<Integer> failed = putOnce(entries, pending);
            if (failed.isEmpty()) {
                return n;
            }
            // Keep per-key order: from each key's first failed entry on, every entry of that key goes again.
            Map<String, Integer> firstFailed = new HashMap<>();
            for (int i : failed) {
                firstFailed.merge(entries.get(i).partitionKey(), i, Math::min);
            }
            List<Integer> again = new ArrayList<>();
            for (int i : pending) {
                Integer f = firstFailed.get(entries.get(i).partitionKey());
                if (f != null && i >= f) {
                    again.add(i);
                }
            }
            pending = again;
        }
        return pending.isEmpty() ? n : pending.get(0);
    }

    /** Puts the pending entries in calls within the limits; returns the indices of the entries that failed. */
    private List<Integer> putOnce(List<PutRecordsRequestEntry> entries, List<Integer> pending) {
        List<Integer> failed = new ArrayList<>();
        int from = 0;
        while (from < pending.size()) {
            int to = from;
            long bytes = 0;
            while (to < pending.size() && to - from < MAX_RECORDS_PER_CALL) {
                PutRecordsRequestEntry e = entries.get(pending.get(to));
                long size = e.data().asByteArrayUnsafe().length + e.partitionKey().getBytes(StandardCharsets.UTF_8).length;
                if (to > from && bytes + size > MAX_BYTES_PER_CALL) {
                    break;
                }
                bytes += size;
                to++;
            }
            List<Integer> call = pending.subList(from, to);
            try {
                PutRecordsResponse r = kinesis.putRecords(PutRecordsRequest.builder().streamName(streamName)
                        .records(call.stream().map(entries::get).toList()).build());
                if (r.failedRecordCount() != null && r.failedRecordCount() > 0) {
                    for (int k = 0; k < call.size(); k++) {
                        if (r.records().get(k).errorCode() != null) {
                            failed.add(call.get(k));
                        }
                    }
                }
            } catch (SdkException e) {
                RuntimeException classified = DependencyFailures.classify(dependency, e);
                if (!(classified instanceof TransientDependencyException)) {
                    throw classified;
                }
                failed.addAll(call);
            }
            from = to;
        }
        return failed;
    }

    static String boundedKey(String key) {
        if (key.length() <= MAX_PARTITION_KEY_LENGTH) {
            return key;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDependencyException("canonical stream", "interrupted", e);
        }
    }
}
