package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One signed anchor transaction of a batch, stored before it is broadcast: the original, a replacement (same nonce,
 * higher fees) or a re-anchor (new nonce, after its nonce was taken).
 *
 * @param raw           the signed envelope, {@code 0x} hex: what is broadcast and rebroadcast unchanged
 * @param broadcastAt   when a node last accepted it (or said it already knew it); null: stored but not yet accepted
 * @param underpriced   the node refused it as an underpriced replacement: the next pass bumps again from it
 */
public record AnchorAttempt(BigInteger nonce, String hash, String raw, AnchorChain.Fees fees, long gasLimit,
                           Instant signedAt, Instant broadcastAt, boolean underpriced) {
    public AnchorAttempt {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(signedAt, "signedAt");
    }

    public static AnchorAttempt of(AnchorChain.SignedAnchor signed, Instant signedAt) {
        return new AnchorAttempt(signed.tx().nonce(), signed.hash(), "0x" + HexFormat.of().formatHex(signed.raw()),
                signed.tx().fees(), signed.tx().gasLimit(), signedAt, null, false);
    }

    public byte[] rawBytes() {
        return HexFormat.of().parseHex(raw.substring(2));
    }

    public AnchorAttempt broadcast(Instant at) {
        return new AnchorAttempt(nonce, hash, raw, fees, gasLimit, signedAt, at, false);
    }

    public AnchorAttempt refusedAsUnderpriced() {
        return new AnchorAttempt(nonce, hash, raw, fees, gasLimit, signedAt, broadcastAt, true);
    }
}
