package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
  * An Ethereum transaction signature (r, s, v) made from what AWS KMS returns for an {@code ECC_SECG_P256K1} key
  * (Sign with {@code MessageType=DIGEST}, {@code ECDSA_SHA_256}: a DER ECDSA-Sig-Value over the 32-byte digest as given).
  *
  * <p>KMS knows nothing of Ethereum, so three things are done here: the DER is parsed strictly; {@code s} is moved to
  * the lower half of the group order (EIP-2: geth refuses high {@code s}, anvil accepts it, so only this code guards
  * it); and the recovery id, which KMS does not return, is found by recovering the public key for ids 0 and 1 and
  * keeping the one whose address is the signer's.
  *
  * @param r the signature's r, 1 to n-1
  * @param s the signature's s, 1 to n/2
  * @param v the recovery id (y parity of the nonce point), 0 or 1: the {@code yParity} of EIP-1559/2930 transactions;
  *     see {@link #eip155V(long)} for legacy transactions
  */
public record EthereumSignature(BigInteger r, BigInteger s, int v) {

    /** An ECDSA-Sig-Value of two 33-byte INTEGERs is 72 bytes; anything longer is not a secp256k1 signature. */
    static final int MAX_DER_LENGTH = 72;

    public EthereumSignature {
        if (r == null || r.signum() <= 0 || r.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("r must be in [1, n-1]");
        }
        if (s == null || s.signum() <= 0 || s.compareTo(Secp256k1.HALF_N) > 0) {
            throw new IllegalArgumentException("s must be in [1, n/2] (EIP-2)");
        }
        if (v != 0 && v != 1) {
            throw new IllegalArgumentException("v (recovery id) must be 0 or 1, was " + v);
        }
    }

    /** Builds the signature for the signer whose public key KMS GetPublicKey returned (DER SubjectPublicKeyInfo). */
    public static EthereumSignature fromKms(byte[] digest, byte[] derSignature, byte[] signerPublicKeyInfo) {
        return fromKms(digest, derSignature, EthereumAddress.ofSubjectPublicKeyInfo(signerPublicKeyInfo));
    }

    /**
      * Builds the signature for the signer with the given address.
      *
      * @throws IllegalArgumentException when the digest is not 32 bytes, the DER is malformed, or neither recovery id
      *     recovers {@code signer} (the signature was made by another key or over another digest)
      */
    public static EthereumSignature fromKms(byte[] digest, byte[] derSignature, EthereumAddress signer) {
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
        BigInteger[] rs = parseDer(derSignature);
        BigInteger r = rs[0];
        BigInteger s = rs[1].compareTo(Secp256k1.HALF_N) > 0 ? Secp256k1.N.subtract(rs[1]) : rs[1];
        for (int recoveryId = 0; recoveryId <= 1; recoveryId++) {
            ECPoint recovered = recoverPublicKey(digest, r, s, recoveryId);
            if (recovered != null && EthereumAddress.of(recovered).equals(signer)) {
                return new EthereumSignature(r, s, recoveryId);
            }
        }
        throw new IllegalArgumentException(
                "signature does not recover the signer " + signer + " with recovery id 0 or 1: signed by another key or over another digest");
    }

    /** v of a legacy transaction signed under EIP-155 replay protection: chainId * 2 + 35 + recovery id. */
    public long eip155V(long chainId) {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive");
        }
        return Math.addExact(Math.multiplyExact(chainId, 2), 35 + v);
    }

    /** r (32 bytes) || s (32 bytes) || v (1 byte, 0 or 1). */
    public byte[] toBytes() {
        byte[] out = new byte[65];
        BigIntegers.asUnsignedByteArray(r, out, 0, 32);
        BigIntegers.asUnsignedByteArray(s, out, 32, 32);
        out[64] = (byte) v;
        return out;
    }

    /**
      * SEC 1 v2, 4.1.6 for x = r (the j = 1 candidate x = r + n would need r < p - n, probability about 2^-128, and
      * Ethereum's v cannot express it). Returns null when r is not the x of a curve point with that y parity.
      */
    static ECPoint recoverPublicKey(byte[] digest, BigInteger r, BigInteger s, int recoveryId) {
        byte[] compressed = new byte[33];
        compressed[0] = (byte) (0x02 + recoveryId);
        BigIntegers.asUnsignedByteArray(r, compressed, 1, 32);
        ECPoint nonce;
        try {
            nonce = Secp256k1.CURVE.decodePoint(compressed);
        } catch (IllegalArgumentException notOnCurve) {
            return null;
        }
        BigInteger n = Secp256k1.N;
        BigInteger e = new BigInteger(1, digest);
        BigInteger rInverse = r.modInverse(n);
        // Q = r^-1 (s R - e G)
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(
                Secp256k1.G, e.negate().multiply(rInverse).mod(n), nonce, s.multiply(rInverse).mod(n)).normalize();
        return q.isInfinity() ? null : q;
    }

    /**
      * Strict DER ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }, short-form lengths, minimal positive integers in
      * [1, n-1], nothing after the sequence.
      */
    static BigInteger[] parseDer(byte[] der) {
        if (der == null || der.length < 8 || der.length > MAX_DER_LENGTH) {
            throw new IllegalArgumentException("DER signature length must be 8 to " + MAX_DER_LENGTH + " bytes");
        }
        if ((der[0] & 0xff) != 0x30) {
            throw new IllegalArgumentException("DER signature must start with a SEQUENCE (0x30)");
        }
        int length = der[1] & 0xff;
        if (length >= 0x80) {
            throw new IllegalArgumentException("DER signature SEQUENCE length must be short form");
        }
        if (length != der.length - 2) {
            throw new IllegalArgumentException(
                    "DER signature SEQUENCE length " + length + " does not match the " + (der.length - 2) + " bytes after it");
        }
        int[] offset = {2};
        BigInteger r = readInteger(der, offset, "r");
        BigInteger s = readInteger(der, offset, "s");
        if (offset[0] != der.length) {
            throw new IllegalArgumentException("DER signature has bytes after s");
        }
        return new BigInteger[] {r, s};
    }

    private static BigInteger readInteger(byte[] der, int[] offset, String name) {
        int at = offset[0];
        if (at + 2 > der.length || (der[at] & 0xff) != 0x02) {
            throw new IllegalArgumentException("DER signature " + name + " must be an INTEGER (0x02)");
        }
        int length = der[at + 1] & 0xff;
        if (length == 0 || length > 33 || at + 2 + length > der.length) {
            throw new IllegalArgumentException("DER signature " + name + " has a bad length " + length);
        }
        byte[] content = Arrays.copyOfRange(der, at + 2, at + 2 + length);
        if ((content[0] & 0x80) != 0) {
            throw new IllegalArgumentException("DER signature " + name + " is negative");
        }
        if (length > 1 && content[0] == 0 && (content[1] & 0x80) == 0) {
            throw new IllegalArgumentException("DER signature " + name + " is not minimally encoded");
        }
        BigInteger value = new BigInteger(1, content);
        if (value.signum() == 0 || value.compareTo(Secp256k1.N) >= 0) {
            throw new IllegalArgumentException("DER signature " + name + " must be in [1, n-1]");
        }
        offset[0] = at + 2 + length;
        return value;
    }
}
