package io.waybill.domain.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An event's proof checked end to end: the stored event hashes to the proof's {@code eventHash} (RFC 8785, id
 * excluded), the proof leads from that leaf to the root, the registry says the root was anchored in the proof's block,
 * and the proof's transaction is mined, successful, in that block. {@link #verified()} only when all four hold.
 *
 * @param proof        the stored proof
 * @param eventHash    the hash recomputed from the event as stored now
 * @param anchoredAt   the registry's {@code anchoredAt(root)}, asked now
 * @param inclusion    the proof's transaction receipt, asked now
 * @param latestBlock  the chain's latest block, asked now
 */
public record ProofCheck(EventProof proof, EventHash eventHash, OptionalLong anchoredAt,
                         Optional<AnchorChain.Inclusion> inclusion, long latestBlock) {
    public ProofCheck {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(eventHash, "eventHash");
        Objects.requireNonNull(anchoredAt, "anchoredAt");
        Objects.requireNonNull(inclusion, "inclusion");
    }

    /**
     * Checks {@code proof} for the event as stored ({@code storedEvent}: its canonical JSON) against {@code chain}.
     *
     * @throws ChainUnavailableException when the node cannot be reached
     */
    public static ProofCheck of(ObjectNode storedEvent, EventProof proof, AnchorChain chain) {
        EventHash hash = EventHash.of(storedEvent);
        return new ProofCheck(proof, hash, chain.anchoredAt(proof.root()), chain.inclusion(proof.receipt().tx()),
                chain.blockNumber());
    }

    /** The stored event still hashes to the proof's leaf. */
    public boolean eventUnaltered() {
        return eventHash.hex().equals(proof.eventHash());
    }

    /** The proof leads from the leaf to the root. */
    public boolean proofLeadsToRoot() {
        return proof.verifies();
    }

    /** The registry holds the root, recorded in the proof's block. */
    public boolean rootAnchored() {
        return anchoredAt.isPresent() && anchoredAt.getAsLong() == proof.receipt().block();
    }

    /** The proof's transaction is mined in the proof's block and succeeded. */
    public boolean transactionIncluded() {
        return inclusion.isPresent() && inclusion.get().succeeded() && inclusion.get().block() == proof.receipt().block();
    }

    /** Blocks on top of (and including) the anchor's block; 0 when the transaction is not included. */
    public long confirmations() {
        return transactionIncluded() ? Math.max(0, latestBlock - proof.receipt().block() + 1) : 0;
    }

    public boolean verified() {
        return eventUnaltered() && proofLeadsToRoot() && rootAnchored() && transactionIncluded();
    }

    /** The proof object followed by {@code "check": {...}} with each finding and {@code "verified"}. */
    public ObjectNode toJson() {
        ObjectNode n = proof.toJson();
        ObjectNode c = n.putObject("check");
        c.put("recomputedEventHash", eventHash.hex());
        c.put("eventUnaltered", eventUnaltered());
        c.put("proofLeadsToRoot", proofLeadsToRoot());
        if (anchoredAt.isPresent()) {
            c.put("registryAnchoredAt", anchoredAt.getAsLong());
        } else {
            c.putNull("registryAnchoredAt");
        }
        c.put("rootAnchored", rootAnchored());
        c.put("transactionIncluded", transactionIncluded());
        c.put("confirmations", confirmations());
        c.put("verified", verified());
        return n;
    }
}
