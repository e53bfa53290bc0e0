package io.waybill.domain.provenance;

/**
 * What the anchoring engine reports as it goes: the Lambda turns these into EMF metrics and structured logs; tests
 * count them. Every method has a no-op default.
 */
public interface AnchorJournal {
    AnchorJournal SILENT = new AnchorJournal() {
    };

    default void queued(AnchorCandidate candidate) {
    }

    default void sealed(String root, int count) {
    }

    /** A batch's transaction accepted by the node for the first time (original or re-anchor). */
    default void broadcast(String root, AnchorAttempt attempt) {
    }

    /** The same signed bytes sent again (crash, unknown to the node, after a reorganisation). */
    default void rebroadcast(String root, AnchorAttempt attempt) {
    }

    /** A replacement: same nonce, higher fees. */
    default void feeBump(String root, AnchorAttempt replacement) {
    }

    default void reorganised(String root, AnchorChain.Inclusion lost) {
    }

    /** A batch confirmed; {@code events} proofs written. */
    default void confirmed(String root, AnchorReceipt receipt, int events) {
    }

    /** The node or the key service did not answer: the pass stopped early, nothing lost. */
    default void nodeUnavailable(String during, RuntimeException cause) {
    }

    /** Something an operator must look at (a batch failed, a root anchored by someone else). */
    default void alarm(String root, String message) {
    }
}
