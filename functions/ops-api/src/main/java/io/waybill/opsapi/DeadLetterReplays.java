package io.waybill.opsapi;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.ingestion.ReplayVerdict;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Replays dead letters from the desk: each letter's raw payload is re-normalised with the current code
 * ({@link ReplayVerdict}, the rule {@code ./waybill replay} uses too); a dry run reports what would happen and changes
 * nothing. A real replay claims each letter that would pass ({@link DeadLetterDesk#claim}: of two concurrent replays
 * only one re-drives it), puts the records on the ingest stream with their original partition keys in one call, and
 * marks each put letter REPLAYED with the caller; a letter the stream refused is released, still PENDING. A crash
 * between the put and the mark leaves the letter PENDING with a claim that runs out after {@link #CLAIM_LEASE}, so a
 * later replay re-drives it again: the event store absorbs that duplicate (the event id comes from the producer's
 * identity, so the same record twice is one event).
 */
public final class DeadLetterReplays {
    /** How long a replay's claim on a letter lasts: longer than any re-drive call takes. */
    public static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    /** The partition key of a letter whose origin names none (as the CLI replay). */
    public static final String FALLBACK_PARTITION_KEY = "replay";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplays.class);

    /** What happened, or would, to one letter. */
    public enum Outcome { WOULD_REPLAY, REPLAYED, REJECTED_AGAIN, KEPT, ALREADY_REPLAYED, NOT_FOUND, NOT_PUT }

    /**
     * @param reason for REJECTED_AGAIN the reason now; for KEPT the letter's; else null
     * @param detail why, when there is more to say
     */
    public record Item(String id, Outcome outcome, RejectionReason reason, String detail) {
    }

    private final DeadLetterDesk desk;
    private final RecordNormalizer normalizer;
    private final StreamRedrive stream;
    private final Clock clock;

    /** @param stream the ingest stream; null: dry runs only (a real replay is refused as unavailable) */
    public DeadLetterReplays(DeadLetterDesk desk, RecordNormalizer normalizer, StreamRedrive stream, Clock clock) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.stream = stream;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether real replays can run (an ingest stream is configured). */
    public boolean canRedrive() {
        return stream != null;
    }

    /** @param actor who asks (recorded on each replayed letter) */
    public List<Item> replay(List<String> ids, boolean dryRun, String actor) {
        if (!dryRun && stream == null) {
            throw new IllegalStateException("no ingest stream is configured");
        }
        Item[] out = new Item[ids.size()];
        List<Integer> toPut = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        String claimant = actor + "#" + UUID.randomUUID();
        Instant now = clock.instant();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Optional<DeadLetterDesk.Entry> found = desk.find(id);
            if (found.isEmpty()) {
                out[i] = new Item(id, Outcome.NOT_FOUND, null, null);
                continue;
            }
            DeadLetterDesk.Entry e = found.get();
            if (e.status() == DeadLetterDesk.Status.REPLAYED) {
                out[i] = new Item(id, Outcome.ALREADY_REPLAYED, null, replayedDetail(e));
                continue;
            }
            ReplayVerdict v = e.status() == DeadLetterDesk.Status.KEPT
                    ? new ReplayVerdict(ReplayVerdict.Outcome.KEPT, e.letter().reason(), "kept on the desk")
                    : ReplayVerdict.of(e.letter(), normalizer, "dead letter " + id);
            switch (v.outcome()) {
                case KEPT -> out[i] = new Item(id, Outcome.KEPT, v.reason(), v.detail());
                case REJECTED_AGAIN -> out[i] = new Item(id, Outcome.REJECTED_AGAIN, v.reason(), v.detail());
                case WOULD_PASS -> {
                    if (dryRun) {
                        out[i] = new Item(id, Outcome.WOULD_REPLAY, null, null);
                    } else if (!desk.claim(id, claimant, now, CLAIM_LEASE)) {
                        out[i] = new Item(id, Outcome.ALREADY_REPLAYED, null,
                                "replayed, or being replayed, by another call");
                    } else {
                        toPut.add(i);
                        letters.add(e.letter());
                    }
                }
            }
        }
        if (!toPut.isEmpty()) {
            redrive(ids, toPut, letters, claimant, actor, out);
        }
        return List.of(out);
    }

    private void redrive(List<String> ids, List<Integer> toPut, List<DeadLetter> letters, String claimant,
                         String actor, Item[] out) {
        List<StreamRedrive.Entry> entries = letters.stream().map(l -> new StreamRedrive.Entry(
                l.origin() != null && l.origin().partitionKey() != null ? l.origin().partitionKey()
                        : FALLBACK_PARTITION_KEY, l.payload())).toList();
        List<String> errors;
        try {
            errors = stream.put(entries);
        } catch (RuntimeException e) {
            toPut.forEach(i -> desk.release(ids.get(i), claimant));
            throw e;
        }
        Instant at = clock.instant();
        for (int k = 0; k < toPut.size(); k++) {
            int i = toPut.get(k);
            String id = ids.get(i);
            String error = k < errors.size() ? errors.get(k) : "no result";
            if (error != null) {
                desk.release(id, claimant);
                out[i] = new Item(id, Outcome.NOT_PUT, null, error);
            } else if (desk.markReplayed(id, actor, at)) {
                LOG.info("dead letter {} replayed by {}", id, actor);
                out[i] = new Item(id, Outcome.REPLAYED, null, null);
            } else {
                out[i] = new Item(id, Outcome.ALREADY_REPLAYED, null, "marked by another call meanwhile");
            }
        }
    }

    private static String replayedDetail(DeadLetterDesk.Entry e) {
        return e.replayedAt() == null ? null : "replayed at " + e.replayedAt()
                + (e.replayedBy() == null ? "" : " by " + e.replayedBy());
    }
}
