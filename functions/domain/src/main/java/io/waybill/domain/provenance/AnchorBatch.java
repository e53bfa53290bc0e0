package io.waybill.domain.provenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch of anchored events, identified by its Merkle root, as the ledger keeps it.
 *
 * <pre>
 * SEALING --(members claimed)--> SEALED --(attempt stored)--> SENDING --(receipt seen)--> INCLUDED --(depth)--> CONFIRMED
 *    |                              |                           ^   |                       |
 *    +-- found by a later run:      +-- root already on chain   |   +-- reverted, root      +-- reorganisation:
 *        dissolved (never signed)       with none of ours:      |       not anchored: FAILED     back to SENDING
 *                                       ANCHORED_ELSEWHERE      +------------------------------------+
 * </pre>
 *
 * @param attempts  every transaction signed for it, oldest first (all are looked for: any of them may be mined)
 * @param included  the recorded inclusion (state INCLUDED or CONFIRMED), else null
 * @param failure   why a FAILED or ANCHORED_ELSEWHERE batch stopped, else null
 * @param version   the ledger's optimistic-lock counter: every update names the version it read
 */
public record AnchorBatch(String root, int count, String uri, State state, Instant sealedAt,
                          List<AnchorAttempt> attempts, AnchorChain.Inclusion included, String failure,
                          long version) {
    public enum State {
        SEALING, SEALED, SENDING, INCLUDED, CONFIRMED, FAILED, ANCHORED_ELSEWHERE;

        /** Whether the batch still needs the writer or the confirmer. */
        public boolean open() {
            return this != CONFIRMED && this != FAILED && this != ANCHORED_ELSEWHERE;
        }
    }

    public AnchorBatch {
        Objects.requireNonNull(root, "root");
        if (count < 1) {
            throw new IllegalArgumentException("a batch has at least one event: " + count);
        }
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sealedAt, "sealedAt");
        attempts = List.copyOf(attempts);
    }

    public static AnchorBatch sealing(String root, int count, String uri, Instant at) {
        return new AnchorBatch(root, count, uri, State.SEALING, at, List.of(), null, null, 0);
    }

    public AnchorBatch in(State next) {
        return new AnchorBatch(root, count, uri, next, sealedAt, attempts, included, failure, version + 1);
    }

    public AnchorBatch withAttempt(AnchorAttempt attempt) {
        List<AnchorAttempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        return new AnchorBatch(root, count, uri, State.SENDING, sealedAt, all, null, failure, version + 1);
    }

    /** The batch with its newest attempt replaced by {@code latest} (broadcast, refused). */
    public AnchorBatch withLatest(AnchorAttempt latest) {
        List<AnchorAttempt> all = new ArrayList<>(attempts);
        all.set(all.size() - 1, latest);
        return new AnchorBatch(root, count, uri, state, sealedAt, all, included, failure, version + 1);
    }

    public AnchorBatch includedIn(AnchorChain.Inclusion inclusion) {
        return new AnchorBatch(root, count, uri, State.INCLUDED, sealedAt, attempts, inclusion, failure, version + 1);
    }

    /** Back to sending: the recorded inclusion is gone (a reorganisation). */
    public AnchorBatch reorganised() {
        return new AnchorBatch(root, count, uri, State.SENDING, sealedAt, attempts, null, failure, version + 1);
    }

    public AnchorBatch stopped(State terminal, String why) {
        return new AnchorBatch(root, count, uri, terminal, sealedAt, attempts, included, why, version + 1);
    }

    public Optional<AnchorAttempt> latest() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }
}
