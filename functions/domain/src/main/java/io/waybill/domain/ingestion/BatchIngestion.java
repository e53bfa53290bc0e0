package io.waybill.domain.ingestion;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentProjection;
import io.waybill.domain.projection.ShipmentState;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Ingests one ordered batch of raw records: normalise, dead-letter the bad ones, drop duplicates inside the batch,
 * append the rest to the event ledger in order, then update each touched shipment's projection once.
 *
 * <p>Failure semantics follow Lambda's partial batch response for streams. Records are handled in order; the
 * first transient failure stops the batch and becomes {@link BatchOutcome#firstRetryIndex()}: every record before
 * it is finished (stored, absorbed or dead-lettered) and every record from it on is redelivered. Redelivered
 * records that were stored already are absorbed by the ledger, so the retry has no second effect. Projection
 * updates are folded from every event of the finished prefix, including ledger duplicates: the fold is
 * idempotent, and re-applying a duplicate repairs a projection whose update was lost after the append.
 * A dead letter sent for a record that is then redelivered (because a projection failure moved the retry point
 * before it) is sent again: dead letters are at-least-once, identified by shard and sequence number.
 */
public final class BatchIngestion {
    /** Reload-and-reapply attempts when another writer changed a shipment's projection concurrently. */
    public static final int MAX_PROJECTION_CONFLICT_RETRIES = 5;

    private final RecordNormalizer normalizer;
    private final EventLedger ledger;
    private final ShipmentStateStore shipments;
    private final DeadLetterSink deadLetters;
    private final Clock clock;
    private final Executor executor;

    /** Writes one record after another. */
    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, Clock clock) {
        this(normalizer, ledger, shipments, deadLetters, clock, null);
    }

    /**
     * @param writers runs a batch's writes (appends and dead letters) concurrently, e.g. a small fixed pool created
     *                once per execution environment; null writes one record after another
     */
    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, Clock clock, Executor writers) {
        this.normalizer = normalizer;
        this.ledger = ledger;
        this.shipments = shipments;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.executor = writers;
    }

    public BatchOutcome ingest(List<RawRecord> records, Instant handlerStartedAt) {
        int n = records.size();
        List<RecordOutcome> outcomes = new ArrayList<>(n);
        RejectionReason[] reasons = new RejectionReason[n];
        Set<String> seenKeys = new HashSet<>();
        // shipment -> (index of its first record in this batch, events to fold)
        Map<String, Touched> touched = new LinkedHashMap<>();
        int stop = n;
        String failure = null;

        // 1. Normalise and decide each record's write, in order (cheap, no I/O).
        Write[] writes = new Write[n];
        for (int i = 0; i < n; i++) {
            NormalizationResult result = normalizer.normalize(records.get(i));
            if (result instanceof NormalizationResult.Rejected r) {
                reasons[i] = r.reason();
                writes[i] = Write.deadLetter(new DeadLetter(r.raw().payload(), r.reason(), r.detail(), r.adapter(),
                        r.raw().origin(), r.raw().streamArrival(), clock.instant()));
            } else {
                NormalizationResult.Normalized ok = (NormalizationResult.Normalized) result;
                writes[i] = seenKeys.add(ok.event().eventKey()) ? Write.append(ok) : Write.NONE_DUPLICATE_IN_BATCH;
            }
        }
        // 2. Perform the writes: one after another, or a bounded number at a time. Either way the batch stops at
        //    the lowest record whose write failed transiently; a record after it that was written anyway is
        //    absorbed (or dead-lettered again) when the batch is redelivered from there.
        RecordOutcome[] done = new RecordOutcome[n];
        Instant[] storedAt = new Instant[n];
        String[] failures = new String[n];
        if (executor == null) {
            for (int i = 0; i < n && stop == n; i++) {
                try {
                    done[i] = perform(writes[i], handlerStartedAt);
                    storedAt[i] = clock.instant();
                } catch (TransientDependencyException e) {
                    stop = i;
                    failure = e.getMessage();
                }
            }
        } else {
            List<CompletableFuture<Void>> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                pending.add(CompletableFuture.runAsync(() -> {
                    try {
                        done[index] = perform(writes[index], handlerStartedAt);
                        storedAt[index] = clock.instant();
                    } catch (TransientDependencyException e) {
                        failures[index] = e.getMessage();
                    }
                }, executor));
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
            for (int i = 0; i < n; i++) {
                if (failures[i] != null) {
                    stop = i;
                    failure = failures[i];
                    break;
                }
            }
        }
        List<BoundaryTimes> boundaries = new ArrayList<>();
        for (int i = 0; i < stop; i++) {
            outcomes.add(done[i]);
            if (done[i] == RecordOutcome.STORED) {
                boundaries.add(BoundaryTimes.of(writes[i].event.event(), handlerStartedAt, storedAt[i]));
            }
            if ((done[i] == RecordOutcome.STORED || done[i] == RecordOutcome.DUPLICATE_IN_STORE)) {
                CanonicalEvent event = writes[i].event.event();
                int index = i;
                ShipmentProjection.shipmentOf(event).ifPresent(sscc ->
                        touched.computeIfAbsent(sscc, k -> new Touched(index)).events.add(event));
            }
        }

        int projectionWrites = 0;
        for (Map.Entry<String, Touched> t : touched.entrySet()) {
            if (t.getValue().firstIndex >= stop) {
                continue;
            }
            try {
                projectionWrites += project(t.getKey(), t.getValue().events);
            } catch (TransientDependencyException e) {
                // Redeliver from this shipment's first record: its events are absorbed by the ledger next time
                // and folded again, which is how the lost projection update is repaired.
                if (t.getValue().firstIndex < stop) {
                    stop = t.getValue().firstIndex;
                    failure = e.getMessage();
                }
            }
        }
        while (outcomes.size() > stop) {
            outcomes.remove(outcomes.size() - 1);
        }
        for (int i = stop; i < n; i++) {
            outcomes.add(RecordOutcome.RETRY);
        }
        Map<RejectionReason, Integer> kept = new EnumMap<>(RejectionReason.class);
        for (int i = 0; i < stop; i++) {
            if (reasons[i] != null) {
                kept.merge(reasons[i], 1, Integer::sum);
            }
        }
        return new BatchOutcome(outcomes, stop < n ? OptionalInt.of(stop) : OptionalInt.empty(), failure,
                projectionWrites, kept, boundaries);
    }

    private RecordOutcome perform(Write w, Instant handlerStartedAt) {
        if (w.deadLetter != null) {
            deadLetters.send(w.deadLetter);
            return RecordOutcome.DEAD_LETTERED;
        }
        if (w.event == null) {
            return RecordOutcome.DUPLICATE_IN_BATCH;
        }
        return ledger.append(w.event, handlerStartedAt) == EventLedger.Append.APPENDED
                ? RecordOutcome.STORED : RecordOutcome.DUPLICATE_IN_STORE;
    }

    /** The one write a record needs: a dead letter, an append, or none (a duplicate of an earlier record). */
    private static final class Write {
        static final Write NONE_DUPLICATE_IN_BATCH = new Write(null, null);
        final NormalizationResult.Normalized event;
        final DeadLetter deadLetter;

        private Write(NormalizationResult.Normalized event, DeadLetter deadLetter) {
            this.event = event;
            this.deadLetter = deadLetter;
        }

        static Write append(NormalizationResult.Normalized event) {
            return new Write(event, null);
        }

        static Write deadLetter(DeadLetter letter) {
            return new Write(null, letter);
        }
    }

    /** Folds the batch's events for one shipment into its stored state; writes only if the state changed. */
    private int project(String sscc, List<CanonicalEvent> events) {
        for (int attempt = 0; attempt <= MAX_PROJECTION_CONFLICT_RETRIES; attempt++) {
            ShipmentStateStore.Versioned current = shipments.load(sscc);
            ShipmentState before = current.state() != null ? current.state() : ShipmentState.empty(sscc);
            ShipmentState after = before;
            for (CanonicalEvent e : events) {
                after = ShipmentProjection.apply(after, e);
            }
            if (after.equals(before) && current.state() != null) {
                return 0;
            }
            if (shipments.save(after, current.version())) {
                return 1;
            }
        }
        throw new TransientDependencyException("shipment projection",
                "version conflict on " + sscc + " persisted after " + MAX_PROJECTION_CONFLICT_RETRIES + " retries", null);
    }

    private static final class Touched {
        final int firstIndex;
        final List<CanonicalEvent> events = new ArrayList<>();

        Touched(int firstIndex) {
            this.firstIndex = firstIndex;
        }
    }
}
