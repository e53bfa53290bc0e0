package io.waybill.domain.ingestion;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.device.ProducerVerification;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Ingests one ordered batch of raw records: normalise, dead-letter the bad ones, append each event to the event
 * ledger once per batch (a later record of the batch with the same id is decided against what that append found
 * stored, without a write of its own), update each touched shipment's projection once, then publish what is stored
 * onto the canonical event stream.
 *
 * <p>Failure semantics follow Lambda's partial batch response for streams. Records are handled in order; the first
 * transient failure stops the batch and becomes {@link BatchOutcome#firstRetryIndex()}: every record before it is
 * finished (stored, absorbed or dead-lettered, its projection folded and its canonical event published) and every
 * record from it on is redelivered. A failure that will never pass for one record (its normalisation threw, the store
 * refused its key or size: {@link PermanentDependencyException}) dead-letters that record and the batch goes on.
 *
 * <p>Deduplication checks content. The ledger returns the stored copy of an event whose id exists: with the same
 * content hash it is a duplicate, and the <em>stored</em> copy is what is folded into the projection and published (a
 * late resend normalised differently today, or by a newer adapter, changes nothing); with another content hash it is
 * an {@link RejectionReason#ID_CONFLICT} dead letter carrying both versions. A record whose id an earlier record of
 * the same batch carries is judged the same way against the stored copy that earlier append found (or made): never
 * against the earlier record itself, which may be a conflicting reuse that was not stored. Projection updates and publications
 * include confirmed duplicates: the fold is idempotent, and re-applying repairs a projection update or a publication
 * lost after the append. Dead letters are at-least-once (a record redelivered after a later failure is
 * dead-lettered again), identified by shard and sequence number.
 *
 * <p>On a stage with events stored under id scheme 1, the {@link LegacyIdWindow} looks an event from before the
 * cutover up under its scheme-1 key first: found, the record is a duplicate of that stored fact (nothing written).
 */
public final class BatchIngestion {
    /** Reload-and-reapply attempts when another writer changed a shipment's projection concurrently. */
    public static final int MAX_PROJECTION_CONFLICT_RETRIES = 5;

    private final RecordNormalizer normalizer;
    private final EventLedger ledger;
    private final ShipmentStateStore shipments;
    private final DeadLetterSink deadLetters;
    private final CanonicalEventPublisher canonical;
    private final Clock clock;
    private final Executor executor;
    private final LegacyIdWindow legacy;
    private final ProducerVerification producers;

    /** Writes one record after another and publishes nowhere. */
    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, Clock clock) {
        this(normalizer, ledger, shipments, deadLetters, CanonicalEventPublisher.NONE, clock, null);
    }

    /**
     * @param canonical where stored events are published ({@link CanonicalEventPublisher#NONE}: nowhere)
     * @param writers   runs a batch's writes (appends and dead letters) concurrently, e.g. a small fixed pool created
     *                  once per execution environment; null writes one record after another
     */
    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, CanonicalEventPublisher canonical, Clock clock,
                          Executor writers) {
        this(normalizer, ledger, shipments, deadLetters, canonical, clock, writers, LegacyIdWindow.NONE);
    }

    /** @param legacy events stored under id scheme 1 ({@link LegacyIdWindow#NONE}: the stage has none) */
    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, CanonicalEventPublisher canonical, Clock clock,
                          Executor writers, LegacyIdWindow legacy) {
        this(normalizer, ledger, shipments, deadLetters, canonical, clock, writers, legacy, ProducerVerification.NONE);
    }

    /**
     * @param producers the device registry checks made on each normalised record before any write
     *                  ({@link ProducerVerification#NONE}: none, every producer trusted as routed)
     */
    public BatchIngestion(RecordNormalizer normalizer, EventLedger ledger, ShipmentStateStore shipments,
                          DeadLetterSink deadLetters, CanonicalEventPublisher canonical, Clock clock,
                          Executor writers, LegacyIdWindow legacy, ProducerVerification producers) {
        this.legacy = Objects.requireNonNull(legacy, "legacy");
        this.producers = Objects.requireNonNull(producers, "producers");
        this.normalizer = normalizer;
        this.ledger = ledger;
        this.shipments = shipments;
        this.deadLetters = deadLetters;
        this.canonical = canonical;
        this.clock = clock;
        this.executor = writers;
    }

    public BatchOutcome ingest(List<RawRecord> records, Instant handlerStartedAt) {
        int n = records.size();
        // 1. Normalise each record (cheap, no I/O).
        Write[] writes = new Write[n];
        List<NormalizationResult.Normalized> normalized = new ArrayList<>(n);
        List<Integer> normalizedIndex = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RawRecord raw = records.get(i);
            NormalizationResult result;
            try {
                result = normalizer.normalize(raw);
            } catch (RuntimeException e) {
                result = new NormalizationResult.Rejected(raw, RejectionReason.INTERNAL_ERROR,
                        e.getClass().getName() + ": " + e.getMessage(), null);
            }
            if (result instanceof NormalizationResult.Rejected r) {
                writes[i] = Write.deadLetter(letter(raw, r.reason(), r.detail(), r.adapter(), null));
                continue;
            }
            normalized.add((NormalizationResult.Normalized) result);
            normalizedIndex.add(i);
        }
        // 2. Check each producer against the device registry (one read per batch, before any write): a registry
        //    that cannot answer now redelivers the whole batch, nothing written.
        List<ProducerVerification.Decision> decisions;
        try {
            decisions = producers.decide(normalized);
        } catch (TransientDependencyException e) {
            List<RecordOutcome> retry = new ArrayList<>(java.util.Collections.nCopies(n, RecordOutcome.RETRY));
            return new BatchOutcome(retry, n > 0 ? OptionalInt.of(0) : OptionalInt.empty(),
                    "device registry: " + e.getMessage(), 0, Map.of(), List.of(), 0, 0, BatchOutcome.Devices.NONE);
        }
        // 3. Decide each record's write, in order.
        ProducerVerification.Decision[] accepted = new ProducerVerification.Decision[n];
        Map<String, Integer> firstInBatch = new HashMap<>();
        for (int k = 0; k < normalized.size(); k++) {
            int i = normalizedIndex.get(k);
            NormalizationResult.Normalized ok = normalized.get(k);
            ProducerVerification.Decision d = decisions.get(k);
            if (!d.accepted()) {
                writes[i] = Write.deadLetter(letter(ok.raw(), d.reason(), d.detail(), ok.event().adapter(), null));
                continue;
            }
            accepted[i] = d;
            if (d.flagged()) {
                ok = ok.flaggedUnassigned();
            }
            Integer earlier = firstInBatch.putIfAbsent(ok.event().eventKey(), i);
            writes[i] = earlier == null ? Write.append(ok) : Write.sameIdAs(ok, earlier);
        }
        // 4. Perform the writes: one after another, or a bounded number at a time. Either way the batch stops at
        //    the lowest record whose write failed transiently; a record after it that was written anyway is
        //    absorbed (or dead-lettered again) when the batch is redelivered from there.
        Done[] done = new Done[n];
        String[] failures = new String[n];
        if (executor == null) {
            for (int i = 0; i < n; i++) {
                try {
                    done[i] = writes[i].sameIdAs < 0 ? perform(writes[i], handlerStartedAt)
                            : judgeAgainstStored(writes[i].event, done[writes[i].sameIdAs], handlerStartedAt);
                } catch (TransientDependencyException e) {
                    failures[i] = e.getMessage();
                    break;
                }
            }
        } else {
            List<CompletableFuture<Void>> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (writes[i].sameIdAs >= 0) {
                    continue;
                }
                int index = i;
                pending.add(CompletableFuture.runAsync(() -> {
                    try {
                        done[index] = perform(writes[index], handlerStartedAt);
                    } catch (TransientDependencyException e) {
                        failures[index] = e.getMessage();
                    }
                }, executor));
            }
            CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
            // Records whose id an earlier record carries: once that record's append has answered, in order.
            for (int i = 0; i < n; i++) {
                Done first = writes[i].sameIdAs < 0 ? null : done[writes[i].sameIdAs];
                if (first != null) {
                    try {
                        done[i] = judgeAgainstStored(writes[i].event, first, handlerStartedAt);
                    } catch (TransientDependencyException e) {
                        failures[i] = e.getMessage();
                    }
                }
            }
        }
        int stop = n;
        String failure = null;
        for (int i = 0; i < n; i++) {
            if (failures[i] != null || done[i] == null) {
                stop = i;
                failure = failures[i] != null ? failures[i] : "not attempted after an earlier failure";
                break;
            }
        }

        // 5. Fold what is stored (the stored copy of a duplicate) into each touched shipment's projection.
        Map<String, Touched> touched = new LinkedHashMap<>();
        for (int i = 0; i < stop; i++) {
            if (done[i].folded != null) {
                int index = i;
                ShipmentProjection.shipmentOf(done[i].folded).ifPresent(sscc ->
                        touched.computeIfAbsent(sscc, k -> new Touched(index)).events.add(done[index].folded));
            }
        }
        int projectionWrites = 0;
        for (Map.Entry<String, Touched> t : touched.entrySet()) {
            if (t.getValue().firstIndex >= stop) {
                continue;
            }
            try {
                projectionWrites += project(t.getKey(), t.getValue().events);
            } catch (TransientDependencyException | PermanentDependencyException e) {
                // Redeliver from this shipment's first record: its events are absorbed by the ledger next time
                // and folded again, which is how the lost projection update is repaired. A projection the store
                // refuses for good holds the shard until someone looks (the iterator-age alarm), never skips it.
                stop = t.getValue().firstIndex;
                failure = e.getMessage();
            }
        }

        // 6. Publish what is stored, in record order, onto the canonical stream.
        List<CanonicalEventPublisher.Publication> publications = new ArrayList<>();
        List<Integer> publishedIndex = new ArrayList<>();
        for (int i = 0; i < stop; i++) {
            if (done[i].folded != null) {
                publications.add(new CanonicalEventPublisher.Publication(done[i].folded, done[i].foldedJson));
                publishedIndex.add(i);
            }
        }
        if (!publications.isEmpty()) {
            int published;
            try {
                published = canonical.publish(publications);
            } catch (TransientDependencyException | PermanentDependencyException e) {
                published = 0;
                failure = e.getMessage();
            }
            if (published < publications.size()) {
                stop = publishedIndex.get(published);
                if (failure == null) {
                    failure = "canonical stream: " + (publications.size() - published) + " events not published";
                }
            }
        }

        // 7. Advance the signing sequences of what is now stored (or was already): best effort, the ledger absorbs a
        //    resend whose sequence the registry has not caught up with.
        List<ProducerVerification.Decision> storedSigned = new ArrayList<>();
        int unassignedFlagged = 0;
        for (int i = 0; i < stop; i++) {
            if (accepted[i] != null && done[i].outcome != RecordOutcome.DEAD_LETTERED) {
                storedSigned.add(accepted[i]);
                if (accepted[i].flagged()) {
                    unassignedFlagged++;
                }
            }
        }
        int sequenceAdvanceFailures = 0;
        String sequenceAdvanceFailure = null;
        Map<String, Map<String, Long>> highest = ProducerVerification.highestSequences(storedSigned);
        if (!highest.isEmpty() && producers.registry().isPresent()) {
            try {
                producers.registry().get().advanceSequences(highest);
            } catch (RuntimeException e) {
                sequenceAdvanceFailures = 1;
                sequenceAdvanceFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }

        // 7b. When each registered device was last heard from (its records' latest stream arrival): one conditional
        //     write per device and batch, newer wins; best effort as the sequences.
        Map<String, Instant> seen = new HashMap<>();
        for (int i = 0; i < stop; i++) {
            Instant arrival = records.get(i).streamArrival();
            if (accepted[i] != null && accepted[i].thing() != null && arrival != null
                    && done[i].outcome != RecordOutcome.DEAD_LETTERED) {
                seen.merge(accepted[i].thing(), arrival, (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        if (!seen.isEmpty() && producers.registry().isPresent()) {
            try {
                producers.registry().get().recordSeen(seen);
            } catch (RuntimeException e) {
                if (sequenceAdvanceFailure == null) {
                    sequenceAdvanceFailures = 1;
                    sequenceAdvanceFailure = "last seen: " + e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
        }

        List<RecordOutcome> outcomes = new ArrayList<>(n);
        Map<RejectionReason, Integer> kept = new EnumMap<>(RejectionReason.class);
        List<BoundaryTimes> boundaries = new ArrayList<>();
        List<CanonicalEvent> storedEvents = new ArrayList<>();
        int legacyReads = 0;
        int legacyDuplicates = 0;
        for (int i = 0; i < n; i++) {
            if (done[i] != null && done[i].legacyRead) {
                legacyReads++; // a read made is a read paid for, whether or not the record is redelivered
            }
            if (i >= stop) {
                outcomes.add(RecordOutcome.RETRY);
                continue;
            }
            outcomes.add(done[i].outcome);
            if (done[i].legacyDuplicate) {
                legacyDuplicates++;
            }
            if (done[i].reason != null) {
                kept.merge(done[i].reason, 1, Integer::sum);
            }
            if (done[i].outcome == RecordOutcome.STORED) {
                boundaries.add(BoundaryTimes.of(done[i].folded, handlerStartedAt, done[i].at));
                storedEvents.add(done[i].folded);
            }
        }
        return new BatchOutcome(outcomes, stop < n ? OptionalInt.of(stop) : OptionalInt.empty(), failure,
                projectionWrites, kept, boundaries, legacyReads, legacyDuplicates,
                new BatchOutcome.Devices(unassignedFlagged, sequenceAdvanceFailures, sequenceAdvanceFailure),
                io.waybill.domain.ops.SourceWatermarks.newestPerSource(storedEvents));
    }

    private Done perform(Write w, Instant handlerStartedAt) {
        if (w.deadLetter != null) {
            send(w.deadLetter);
            return Done.deadLettered(w.deadLetter.reason(), clock.instant());
        }
        Optional<String> legacyKey = legacy.legacyKey(w.event);
        EventLedger.Append a;
        try {
            if (legacyKey.isPresent()) {
                Optional<String> storedJson = legacy.lookup().storedJson(legacyKey.get());
                if (storedJson.isPresent()) {
                    return legacyFact(w.event, storedJson.get());
                }
            }
            a = ledger.append(w.event, handlerStartedAt);
        } catch (PermanentDependencyException e) {
            DeadLetter letter = letter(w.event.raw(), RejectionReason.DEPENDENCY_REJECTED, e.getMessage(),
                    w.event.event().adapter(), null);
            send(letter);
            return Done.deadLettered(letter.reason(), clock.instant()).read(legacyKey.isPresent());
        }
        Done written = switch (a.kind()) {
            case APPENDED -> new Done(RecordOutcome.STORED, w.event.event(), w.event.json(), null, clock.instant(),
                    new Stored(w.event.json(), w.event.event().contenthash()));
            case DUPLICATE -> duplicateOf(new Stored(a.storedJson(), a.storedContentHash()));
            case CONFLICT -> conflictWith(w.event, new Stored(a.storedJson(), a.storedContentHash()));
        };
        return written.read(legacyKey.isPresent());
    }

    /** A record whose scheme-1 key is stored: a duplicate of that legacy fact, or an id conflict with it. */
    private Done legacyFact(NormalizationResult.Normalized n, String storedJson) {
        CanonicalEvent stored = CanonicalEventJson.fromJson(readTree(storedJson));
        if (!LegacyIdWindow.sameFact(n, stored)) {
            DeadLetter letter = conflict(n, storedJson, "none (stored under id scheme 1, its content differs)");
            send(letter);
            return Done.deadLettered(letter.reason(), clock.instant()).read(true);
        }
        // The legacy fact is this record's fact: a later record of the batch with the same id is judged against it.
        return new Done(RecordOutcome.DUPLICATE_IN_STORE, stored, storedJson, null, clock.instant(),
                new Stored(storedJson, n.event().contenthash()), true, true);
    }

    /**
     * A record whose id an earlier record of the batch carries, judged against the stored copy that record's append
     * found or made: the same content is a duplicate (folded and published only if the earlier record was not,
     * i.e. it was a conflicting reuse), other content an id conflict. No write, unless the earlier record was
     * refused for good and left nothing to compare with: then this record asks the store itself.
     */
    private Done judgeAgainstStored(NormalizationResult.Normalized n, Done first, Instant handlerStartedAt) {
        if (first.stored == null) {
            return perform(Write.append(n), handlerStartedAt);
        }
        if (first.stored.contentHash() != null && !first.stored.contentHash().equals(n.event().contenthash())) {
            return conflictWith(n, first.stored);
        }
        return first.folded != null
                ? new Done(RecordOutcome.DUPLICATE_IN_BATCH, null, null, null, clock.instant(), first.stored)
                : duplicateOf(first.stored);
    }

    private Done duplicateOf(Stored stored) {
        CanonicalEvent event = CanonicalEventJson.fromJson(readTree(stored.json()));
        return new Done(RecordOutcome.DUPLICATE_IN_STORE, event, stored.json(), null, clock.instant(), stored);
    }

    private Done conflictWith(NormalizationResult.Normalized n, Stored stored) {
        DeadLetter letter = conflict(n, stored.json(), stored.contentHash());
        send(letter);
        return new Done(RecordOutcome.DEAD_LETTERED, null, null, letter.reason(), clock.instant(), stored);
    }

    /** A dead letter must not be lost: a sink that refuses one for good stops the batch like a transient failure. */
    private void send(DeadLetter letter) {
        try {
            deadLetters.send(letter);
        } catch (PermanentDependencyException e) {
            throw new TransientDependencyException(e.dependency(), "refused a dead letter (" + e.getMessage()
                    + "); holding the batch rather than losing the record", e);
        }
    }

    private DeadLetter letter(RawRecord raw, RejectionReason reason, String detail, String adapter,
                              DeadLetter.IdConflict conflict) {
        return new DeadLetter(raw.payload(), reason, detail, adapter, raw.origin(), raw.streamArrival(),
                clock.instant(), conflict);
    }

    private DeadLetter conflict(NormalizationResult.Normalized n, String storedJson, String storedHash) {
        CanonicalEvent e = n.event();
        return letter(n.raw(), RejectionReason.ID_CONFLICT, "event " + e.eventKey() + " is stored with content hash "
                + storedHash + "; this record has " + e.contenthash() + " (an id or sequence reused for another "
                + "message): both are in this letter, neither is lost", e.adapter(),
                new DeadLetter.IdConflict(storedJson, n.json()));
    }

    private static JsonNode readTree(String json) {
        try {
            return CanonicalEventJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The one write a record needs: a dead letter, an append, or none yet (its id is an earlier record's: judged
     * once that record's append answered).
     */
    private static final class Write {
        final NormalizationResult.Normalized event;
        final DeadLetter deadLetter;
        /** Index of the earlier record of the batch with the same id, or -1. */
        final int sameIdAs;

        private Write(NormalizationResult.Normalized event, DeadLetter deadLetter, int sameIdAs) {
            this.event = event;
            this.deadLetter = deadLetter;
            this.sameIdAs = sameIdAs;
        }

        static Write append(NormalizationResult.Normalized event) {
            return new Write(event, null, -1);
        }

        static Write sameIdAs(NormalizationResult.Normalized event, int earlier) {
            return new Write(event, null, earlier);
        }

        static Write deadLetter(DeadLetter letter) {
            return new Write(null, letter, -1);
        }
    }

    /** The stored copy of an event: its canonical JSON and content hash (null for an id scheme 1 event). */
    private record Stored(String json, String contentHash) {
    }

    /**
     * What a record's write did.
     *
     * @param folded     the event to fold and publish (the stored copy for a duplicate), or null
     * @param foldedJson its canonical JSON
     * @param reason     the dead letter's reason, or null
     * @param at              when the write finished
     * @param stored          the store's copy under this record's id as the write found or made it, or null
     * @param legacyRead      whether the event store was read under the record's scheme-1 key
     * @param legacyDuplicate whether that read found the same fact: a duplicate of a scheme-1 event
     */
    private record Done(RecordOutcome outcome, CanonicalEvent folded, String foldedJson, RejectionReason reason,
                        Instant at, Stored stored, boolean legacyRead, boolean legacyDuplicate) {
        Done(RecordOutcome outcome, CanonicalEvent folded, String foldedJson, RejectionReason reason, Instant at,
             Stored stored) {
            this(outcome, folded, foldedJson, reason, at, stored, false, false);
        }

        static Done deadLettered(RejectionReason reason, Instant at) {
            return new Done(RecordOutcome.DEAD_LETTERED, null, null, reason, at, null);
        }

        /** This outcome, having read the event store under a scheme-1 key (or not). */
        Done read(boolean legacyKeyRead) {
            return new Done(outcome, folded, foldedJson, reason, at, stored, legacyKeyRead, legacyDuplicate);
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
