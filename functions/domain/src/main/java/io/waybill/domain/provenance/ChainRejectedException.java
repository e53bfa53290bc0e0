package io.waybill.domain.provenance;

import java.util.Objects;

/**
 * The node answered and refused a raw transaction (a JSON-RPC error on {@code eth_sendRawTransaction}).
 *
 * @see Reason
 */
public class ChainRejectedException extends RuntimeException {
    /** Why, as far as the node's message tells (nodes word these differently; the adapter maps them). */
    public enum Reason {
        /** The node already has this exact transaction (same hash): a rebroadcast that is harmless. */
        ALREADY_KNOWN,
        /** The nonce was used by a transaction already mined. */
        NONCE_TOO_LOW,
        /** A transaction with this nonce is pending and this one's fees are not enough higher to replace it. */
        REPLACEMENT_UNDERPRICED,
        /** The fee cap is below the block's base fee, or the sender cannot pay. */
        FEE_TOO_LOW,
        /** The call would revert (for example, the root is already anchored or the sender is not authorised). */
        REVERTED,
        /** Anything else the node said. */
        OTHER
    }

    private final Reason reason;

    public ChainRejectedException(Reason reason, String nodeMessage) {
        super(reason + ": " + nodeMessage);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
