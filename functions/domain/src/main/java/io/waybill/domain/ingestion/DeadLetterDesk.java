package io.waybill.domain.ingestion;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The dead-letter desk: one entry per kept dead letter, addressable by a stable id, so that people can list, read
 * and replay letters (a queue can be neither browsed nor addressed). The queue stays where letters are alarmed on and
 * swept from; the desk is the index beside it.
 */
public interface DeadLetterDesk {

    /** An entry's state. */
    enum Status { PENDING, REPLAYED, KEPT }

    /**
     * One letter on the desk.
     *
     * @param id         {@link DeadLetterIds#of}
     * @param letter     the letter; its payload is empty in listings
     * @param status     its state
     * @param replayedAt when it was re-driven, or null
     * @param replayedBy who re-drove it, or null
     */
    record Entry(String id, DeadLetter letter, Status status, Instant replayedAt, String replayedBy) {
    }

    /**
     * Records a letter, once: recording the same letter again (a retried send) leaves the entry as it is.
     *
     * @return the letter's id
     * @throws TransientDependencyException when the desk could not take it (the record is then retried)
     */
    String record(DeadLetter letter);

    /** The entry, payload included. */
    Optional<Entry> find(String id);

    /**
     * Claims a PENDING entry for a re-drive until {@code now + lease}, conditionally: of two concurrent replays only
     * one holds the claim, so a letter is re-driven once. A claim whose holder crashed runs out after its lease.
     *
     * @return false when the entry is not PENDING or another replay holds an unexpired claim
     */
    boolean claim(String id, String by, Instant now, Duration lease);

    /** Gives a claim back (the re-drive failed): the entry is PENDING and free again. */
    void release(String id, String by);

    /**
     * Marks a PENDING entry REPLAYED, conditionally on PENDING (a duplicate mark is refused).
     *
     * @return false when the entry was no longer PENDING
     */
    boolean markReplayed(String id, String by, Instant at);
}
