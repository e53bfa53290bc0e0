package io.waybill.domain.provenance;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Ethereum's keccak256 (original Keccak padding, not SHA3-256), by Bouncy Castle. */
final class Keccak256 {
    private Keccak256() {
    }

    static byte[] hash(byte[]... parts) {
        KeccakDigest digest = new KeccakDigest(256);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
