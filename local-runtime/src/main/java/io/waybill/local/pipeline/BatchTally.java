package io.waybill.local.pipeline;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.waybill.domain.ingestion.BatchOutcome;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.ingest.IngestTelemetry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Adds up what the handler reported for every batch (records it finished; redelivered ones count once). */
public final class BatchTally implements IngestTelemetry.BatchListener {
    private final Map<RecordOutcome, AtomicLong> outcomes = new ConcurrentHashMap<>();
    private final Map<RejectionReason, AtomicLong> rejections = new ConcurrentHashMap<>();
    private final AtomicLong projectionWrites = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();

    @Override
    public void onBatch(java.util.List<KinesisEvent.KinesisEventRecord> records, BatchOutcome outcome) {
        batches.incrementAndGet();
        outcome.outcomes().forEach(o -> outcomes.computeIfAbsent(o, k -> new AtomicLong()).incrementAndGet());
        outcome.rejections().forEach((r, n) -> rejections.computeIfAbsent(r, k -> new AtomicLong()).addAndGet(n));
        projectionWrites.addAndGet(outcome.projectionWrites());
    }

    public long count(RecordOutcome outcome) {
        AtomicLong n = outcomes.get(outcome);
        return n == null ? 0 : n.get();
    }

    /** Records finished: stored, absorbed or dead-lettered (retries are counted when they finish). */
    public long finished() {
        return count(RecordOutcome.STORED) + duplicates() + count(RecordOutcome.DEAD_LETTERED);
    }

    public long duplicates() {
        return count(RecordOutcome.DUPLICATE_IN_BATCH) + count(RecordOutcome.DUPLICATE_IN_STORE);
    }

    public Map<RejectionReason, Long> rejections() {
        Map<RejectionReason, Long> out = new EnumMap<>(RejectionReason.class);
        rejections.forEach((r, n) -> out.put(r, n.get()));
        return out;
    }

    public long projectionWrites() {
        return projectionWrites.get();
    }

    public long batches() {
        return batches.get();
    }
}
