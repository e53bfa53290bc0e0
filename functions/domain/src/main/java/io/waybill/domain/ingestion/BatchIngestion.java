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

    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, Clock clock) {
        this.normalizer = normalizer;
        this.ledger = ledger;
        this.shipments = shipments;
        this.deadLetters = deadLetters;
        this.clock = clock;
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

        for (int i = 0; i < n; i++) {
            NormalizationResult result = normalizer.normalize(records.get(i));
            try {
                if (result instanceof NormalizationResult.Rejected r) {
                    deadLetters.send(new DeadLetter(r.raw().payload(), r.reason(), r.detail(), r.adapter(),
                            r.raw().origin(), r.raw().streamArrival(), clock.instant()));
                    reasons[i] = r.reason();
                    outcomes.add(RecordOutcome.DEAD_LETTERED);
                    continue;
                }
                NormalizationResult.Normalized ok = (NormalizationResult.Normalized) result;
                CanonicalEvent event = ok.event();
                if (!seenKeys.add(event.eventKey())) {
                    outcomes.add(RecordOutcome.DUPLICATE_IN_BATCH);
                    continue;
                }
                EventLedger.Append append = ledger.append(ok, handlerStartedAt);
                outcomes.add(append == EventLedger.Append.APPENDED ? RecordOutcome.STORED : RecordOutcome.DUPLICATE_IN_STORE);
                int index = i;
                ShipmentProjection.shipmentOf(event).ifPresent(sscc ->
                        touched.computeIfAbsent(sscc, k -> new Touched(index)).events.add(event));
            } catch (TransientDependencyException e) {
                stop = i;
                failure = e.getMessage();
                break;
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
        for (int i = stop; i < n; i++) {
            if (i < outcomes.size()) {
                outcomes.set(i, RecordOutcome.RETRY);
            } else {
                outcomes.add(RecordOutcome.RETRY);
            }
        }
        Map<RejectionReason, Integer> kept = new EnumMap<>(RejectionReason.class);
        for (int i = 0; i < stop; i++) {
            if (reasons[i] != null) {
                kept.merge(reasons[i], 1, Integer::sum);
            }
        }
        return new BatchOutcome(outcomes, stop < n ? OptionalInt.of(stop) : OptionalInt.empty(), failure,
                projectionWrites, kept);
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
