package io.waybill.domain.ingestion.reference;

import io.waybill.domain.ingestion.BatchIngestion;
import io.waybill.domain.ingestion.BatchOutcome;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordOrigin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drives {@link BatchIngestion} the way Lambda's Kinesis event source mapping does: a shard's records in batches, in
 * order; a batch whose outcome names a first record to retry is redelivered from that record (the partial batch
 * response), until it finishes. Records each finish exactly once; their final outcomes are kept by serial.
 */
public final class LambdaDelivery {
    /** More attempts than this on one batch means the pipeline never finishes it: a failure of the property. */
    static final int MAX_ATTEMPTS_PER_BATCH = 500;

    /** One batch of one shard. */
    public record Batch(int shard, List<Delivery> deliveries) {
    }

    private final BatchIngestion ingestion;
    private final Map<Integer, RecordOutcome> outcomes = new ConcurrentHashMap<>();

    public LambdaDelivery(BatchIngestion ingestion) {
        this.ingestion = ingestion;
    }

    /** The final outcome of every delivery that finished, by {@link Delivery#serial()}. */
    public Map<Integer, RecordOutcome> outcomes() {
        return outcomes;
    }

    /** Each shard cut into batches of 1 to {@code maxBatch} records, the shards' batches interleaved at random. */
    public static List<Batch> interleaved(Traffic traffic, int maxBatch, Random r) {
        List<List<Batch>> perShard = perShard(traffic, maxBatch, r);
        List<Batch> order = new ArrayList<>();
        int[] next = new int[perShard.size()];
        while (order.size() < perShard.stream().mapToInt(List::size).sum()) {
            int shard = r.nextInt(perShard.size());
            if (next[shard] < perShard.get(shard).size()) {
                order.add(perShard.get(shard).get(next[shard]++));
            }
        }
        return order;
    }

    /** Each shard cut into batches of 1 to {@code maxBatch} records. */
    public static List<List<Batch>> perShard(Traffic traffic, int maxBatch, Random r) {
        List<List<Batch>> shards = new ArrayList<>();
        for (int s = 0; s < traffic.shards().size(); s++) {
            List<Delivery> all = traffic.shards().get(s);
            List<Batch> batches = new ArrayList<>();
            for (int i = 0; i < all.size(); ) {
                int n = Math.min(all.size() - i, 1 + r.nextInt(maxBatch));
                batches.add(new Batch(s, all.subList(i, i + n)));
                i += n;
            }
            shards.add(batches);
        }
        return shards;
    }

    public void deliver(List<Batch> batches) {
        batches.forEach(this::deliver);
    }

    /** Every shard on a thread of its own, its batches in order, all against the same stores. */
    public void deliverConcurrently(List<List<Batch>> shards) {
        ExecutorService threads = Executors.newFixedThreadPool(shards.size());
        try {
            List<Future<?>> running = new ArrayList<>();
            shards.forEach(batches -> running.add(threads.submit(() -> deliver(batches))));
            for (Future<?> f : running) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError("a shard failed: " + e.getCause(), e.getCause() != null ? e.getCause() : e);
        } finally {
            threads.shutdownNow();
        }
    }

    public void deliver(Batch batch) {
        List<RawRecord> records = batch.deliveries().stream().map(d -> record(d, batch.shard())).toList();
        int from = 0;
        for (int attempt = 1; ; attempt++) {
            BatchOutcome o = ingestion.ingest(records.subList(from, records.size()), Instant.now());
            for (int i = 0; i < o.outcomes().size(); i++) {
                if (o.outcomes().get(i) != RecordOutcome.RETRY) {
                    RecordOutcome earlier = outcomes.putIfAbsent(batch.deliveries().get(from + i).serial(),
                            o.outcomes().get(i));
                    if (earlier != null) {
                        throw new AssertionError("record " + batch.deliveries().get(from + i) + " finished twice");
                    }
                }
            }
            if (o.firstRetryIndex().isEmpty()) {
                return;
            }
            from += o.firstRetryIndex().getAsInt();
            if (attempt >= MAX_ATTEMPTS_PER_BATCH) {
                throw new AssertionError("batch not finished after " + attempt + " attempts: " + o.failure());
            }
        }
    }

    /** The record as the stream holds it: its serial is its sequence number, its producer its partition key. */
    public static RawRecord record(Delivery d, int shard) {
        return new RawRecord(RawMessages.render(d), new RecordOrigin("telemetry", String.format("shardId-%012d", shard),
                Integer.toString(d.serial()), d.reading().producer().id()),
                d.receivedAt().plus(Duration.ofMillis(200)));
    }
}
