package io.waybill.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EthereumSignature;

/**
 * A secp256k1 key held in memory, for the local stack and tests only (in AWS the key is in KMS). It signs as KMS does
 * ({@code Sign}, {@code MessageType=DIGEST}): plain ECDSA over the 32-byte digest as given, a DER ECDSA-Sig-Value whose
 * {@code s} may be in the upper half; and it turns that DER into (r, s, v) through the same
 * {@link EthereumSignature#fromKms} the KMS signer uses, so the local path exercises the production conversion. The
 * nonce k is RFC 6979's (deterministic). The key is never printed ({@link #toString()} shows the address).
 */
public final class LocalKeySigner implements DigestSigner {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private final ECPrivateKeyParameters key;
    private final EthereumAddress address;

    private LocalKeySigner(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(CURVE.getN()) >= 0) {
            throw new IllegalArgumentException("a secp256k1 private key is in [1, n-1]");
        }
        this.key = new ECPrivateKeyParameters(d, DOMAIN);
        this.address = EthereumAddress.of(CURVE.getG().multiply(d));
    }

    /** @param privateKeyHex 64 hex digits, with or without 0x */
    public static LocalKeySigner fromHex(String privateKeyHex) {
        Objects.requireNonNull(privateKeyHex, "privateKeyHex");
        String digits = privateKeyHex.startsWith("0x") ? privateKeyHex.substring(2) : privateKeyHex;
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("a private key is 64 hex digits"); // the value itself is not echoed
        }
        return new LocalKeySigner(new BigInteger(digits, 16));
    }

    @Override
    public EthereumAddress address() {
        return address;
    }

    @Override
    public EthereumSignature sign(byte[] digest) {
        return EthereumSignature.fromKms(digest, signDer(digest), address);
    }

    /** What KMS returns for this key: DER SEQUENCE { INTEGER r, INTEGER s }, s not normalised. */
    public byte[] signDer(byte[] digest) {
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
        ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        ecdsa.init(true, key);
        BigInteger[] rs = ecdsa.generateSignature(digest);
        ASN1EncodableVector sequence = new ASN1EncodableVector(2);
        sequence.add(new ASN1Integer(rs[0]));
        sequence.add(new ASN1Integer(rs[1]));
        try {
            return new DERSequence(sequence).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "LocalKeySigner[" + address + "]";
    }
}
