package io.waybill.domain.provenance;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.math.ec.ECPoint;

/**
  * An Ethereum account address: the last 20 bytes of keccak256 of the signer's 64-byte uncompressed public key
  * (x || y, without the 0x04 prefix). {@link #toString()} gives the EIP-55 mixed-case checksum form; equality ignores case.
  */
public final class EthereumAddress {

    private static final HexFormat HEX = HexFormat.of();
    private final byte[] bytes;

    private EthereumAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The address of a secp256k1 public key point. */
    public static EthereumAddress of(ECPoint publicKey) {
        ECPoint p = publicKey.normalize();
        if (p.isInfinity() || !p.getCurve().equals(Secp256k1.CURVE)) {
            throw new IllegalArgumentException("not a secp256k1 public key");
        }
        byte[] uncompressed = p.getEncoded(false);
        byte[] hash = keccak256(Arrays.copyOfRange(uncompressed, 1, 65));
        return new EthereumAddress(Arrays.copyOfRange(hash, 12, 32));
    }

    /**
      * The address of a public key given as KMS GetPublicKey returns it: a DER SubjectPublicKeyInfo with algorithm
      * id-ecPublicKey and named curve secp256k1. Anything else (another curve, trailing bytes, a point off the curve) is refused.
      */
    public static EthereumAddress ofSubjectPublicKeyInfo(byte[] der) {
        return of(publicKeyOf(der));
    }

    /** Parses a 0x-prefixed 40-digit hex address; a mixed-case address must carry a valid EIP-55 checksum. */
    public static EthereumAddress parse(String text) {
        if (text == null || !text.matches("0x[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("not an Ethereum address (0x and 40 hex digits): " + text);
        }
        String digits = text.substring(2);
        EthereumAddress address = new EthereumAddress(HEX.parseHex(digits.toLowerCase(Locale.ROOT)));
        boolean mixedCase = !digits.equals(digits.toLowerCase(Locale.ROOT)) && !digits.equals(digits.toUpperCase(Locale.ROOT));
        if (mixedCase && !address.toString().equals(text)) {
            throw new IllegalArgumentException("EIP-55 checksum mismatch: " + text + " (expected " + address + ")");
        }
        return address;
    }

    /** The 20 address bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** EIP-55: hex digit i is upper case when nibble i of keccak256(lower-case hex as ASCII) is 8 or more. */
    @Override
    public String toString() {
        String lower = HEX.formatHex(bytes);
        byte[] hash = keccak256(lower.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0x0f;
            char c = lower.charAt(i);
            out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EthereumAddress a && Arrays.equals(bytes, a.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256). */
    public static byte[] keccak256(byte[] input) {
        KeccakDigest digest = new KeccakDigest(256);
        digest.update(input, 0, input.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    static ECPoint publicKeyOf(byte[] der) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("public key is not a DER SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        if (info == null || !X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("public key is not an EC key (id-ecPublicKey)");
        }
        if (!(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)
                || !SECObjectIdentifiers.secp256k1.equals(curve)) {
            throw new IllegalArgumentException("public key is not on the named curve secp256k1 (1.3.132.0.10)");
        }
        try {
            ECPoint point = Secp256k1.CURVE.decodePoint(info.getPublicKeyData().getOctets());
            if (point.isInfinity() || !point.isValid()) {
                throw new IllegalArgumentException("public key point is not a valid secp256k1 point");
            }
            return point;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key point is not a valid secp256k1 point: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("public key bit string has unused bits", e);
        }
    }
}
