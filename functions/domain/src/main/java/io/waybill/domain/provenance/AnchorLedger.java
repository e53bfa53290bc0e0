package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The anchoring engine's durable state (DynamoDB in AWS and locally): the queue of selected events, the batches with
 * their members and signed attempts, the signer's next nonce and the writer lease. Every state change the engine
 * relies on is conditional, so two runs, a crash and a redelivery cannot make two anchors of one batch.
 * Every method throws {@link io.waybill.domain.ingestion.TransientDependencyException} when the store could not answer.
 */
public interface AnchorLedger {

    /**
     * Queues the event unless its id is already known (queued, in a batch, or anchored).
     *
     * @return true when queued now; false for a redelivery
     */
    boolean enqueue(AnchorCandidate candidate);

    /** Up to {@code limit} queued events, oldest first (by queued time, then event id). */
    List<AnchorCandidate> oldestQueued(int limit);

    /**
     * Stores a new SEALING batch and its member list (index order) before any member is claimed, so a crashed sealing
     * can always be undone from the list.
     *
     * @return false when a batch with this root already exists (nothing written)
     */
    boolean createBatch(AnchorBatch sealing, List<AnchorCandidate> members);

    /** Makes the queued event member {@code index} of batch {@code root}; false when it is no longer queued. */
    boolean claim(String eventId, String root, int index);

    /** Puts a member of {@code root} back in the queue (its queued time unchanged); no-op when it is not one. */
    void release(String eventId, String root);

    /** The batch's member list in index order, as stored by {@link #createBatch} (read consistently). */
    List<AnchorCandidate> members(String root);

    /** Deletes a batch that was never signed and its member list; its members must be released first. */
    void deleteBatch(String root);

    /** The batch as last stored (read consistently). */
    Optional<AnchorBatch> batch(String root);

    /**
     * Every batch in an open state ({@link AnchorBatch.State#open()}), oldest sealed first. May lag (an index): the
     * engine reads each batch again with {@link #batch} before acting on it.
     */
    List<AnchorBatch> openBatches();

    /**
     * Replaces the batch when its stored version is {@code next.version() - 1}.
     *
     * @return false when another writer changed it first (nothing written)
     */
    boolean update(AnchorBatch next);

    /**
     * Stores a batch with a new signed attempt and the signer's next nonce together (all or nothing, also across a
     * crash: a transaction, or a protocol that a later reader completes or undoes): the batch as
     * {@link #update} does, the nonce only if it is still {@code expectedNextNonce} (empty: never stored).
     *
     * @return false when either condition failed (nothing written, nothing may be broadcast)
     */
    boolean storeAttempt(AnchorBatch next, EthereumAddress signer, Optional<BigInteger> expectedNextNonce,
                         BigInteger nextNonce);

    /** The signer's next nonce as last stored, empty before its first anchor. */
    Optional<BigInteger> nextNonce(EthereumAddress signer);

    /**
     * Takes or renews the lease {@code key} for {@code owner} until {@code until}: succeeds when it is free, expired
     * at {@code now}, or already {@code owner}'s.
     */
    boolean holdLease(String key, String owner, Instant now, Instant until);

    /** Gives the lease up if {@code owner} holds it. */
    void releaseLease(String key, String owner);
}
