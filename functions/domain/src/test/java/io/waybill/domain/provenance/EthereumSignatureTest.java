package io.waybill.domain.provenance;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * KMS-style DER signatures become Ethereum (r, s, v). The oracle is a textbook ECDSA signer written here with a nonce
 * k the test chooses: R = kG, r = R.x mod n, s = k^-1 (e + r d) mod n, and the recovery id is the parity of R.y
 * (flipped when s is replaced by n - s, which signs with -R). Bouncy Castle's own verifier checks every result, and its
 * DER encoder (not the parser under test) writes the signatures as KMS does.
 */
class EthereumSignatureTest {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    /** n from SEC 2 section 2.4.1, written out so the bound is not taken from the code under test. */
    private static final BigInteger N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final HexFormat HEX = HexFormat.of();

    /** A signature from the reference signer: r, s as signed (low or high), and the y parity of the point it used. */
    private record Reference(BigInteger r, BigInteger s, int parity) {
        Reference highS() {
            return s.compareTo(HALF_N) > 0 ? this : new Reference(r, N.subtract(s), 1 - parity);
        }

        BigInteger lowS() {
            return s.compareTo(HALF_N) > 0 ? N.subtract(s) : s;
        }

        int expectedV() {
            return s.compareTo(HALF_N) > 0 ? 1 - parity : parity;
        }
    }

    private static Reference sign(BigInteger d, byte[] digest, Random random) {
        BigInteger e = new BigInteger(1, digest);
        while (true) {
            BigInteger k = new BigInteger(256, random).mod(N);
            if (k.signum() == 0) {
                continue;
            }
            ECPoint point = CURVE.getG().multiply(k).normalize();
            BigInteger x = point.getAffineXCoord().toBigInteger();
            if (x.compareTo(N) >= 0) {
                continue; // r = x - n: not expressible in Ethereum's v; about 2^-128 likely
            }
            BigInteger s = k.modInverse(N).multiply(e.add(x.multiply(d))).mod(N);
            if (x.signum() == 0 || s.signum() == 0) {
                continue;
            }
            int parity = point.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0;
            return new Reference(x, s, parity);
        }
    }

    private static byte[] der(BigInteger r, BigInteger s) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(r));
        v.add(new ASN1Integer(s));
        try {
            return new DERSequence(v).getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] spki(ECPoint publicKey) {
        try {
            return new SubjectPublicKeyInfo(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1),
                    publicKey.getEncoded(false)).getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean bouncyCastleVerifies(ECPoint publicKey, byte[] digest, BigInteger r, BigInteger s) {
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(publicKey, DOMAIN));
        return verifier.verifySignature(digest, r, s);
    }

    @Test
    void manyLowAndHighSSignaturesBecomeLowSWithTheRecoveryIdOfTheReferenceSigner() {
        Random random = new Random(14);
        BigInteger d = new BigInteger(256, random).mod(N);
        ECPoint publicKey = CURVE.getG().multiply(d).normalize();
        EthereumAddress signer = EthereumAddress.ofSubjectPublicKeyInfo(spki(publicKey));
        int highS = 0;
        int[] vSeen = new int[2];
        for (int i = 0; i < 300; i++) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            Reference ref = sign(d, digest, random);
            if (i % 2 == 0) {
                ref = ref.highS(); // n - s is as valid an ECDSA signature as s: KMS may return either
            }
            if (ref.s().compareTo(HALF_N) > 0) {
                highS++;
            }
            EthereumSignature sig = EthereumSignature.fromKms(digest, der(ref.r(), ref.s()), signer);

            assertThat(sig.r()).isEqualTo(ref.r());
            assertThat(sig.s()).isEqualTo(ref.lowS()).isLessThanOrEqualTo(HALF_N);
            assertThat(sig.v()).isEqualTo(ref.expectedV());
            assertThat(bouncyCastleVerifies(publicKey, digest, sig.r(), sig.s())).isTrue();
            vSeen[sig.v()]++;
        }
        assertThat(highS).as("high-s inputs exercised").isGreaterThanOrEqualTo(150);
        assertThat(vSeen[0]).as("v = 0 seen").isPositive();
        assertThat(vSeen[1]).as("v = 1 seen").isPositive();
    }

    @Test
    void signaturesFromBouncyCastlesSignerAreNormalisedAndVerify() {
        Random random = new Random(1559);
        BigInteger d = new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
        ECPoint publicKey = CURVE.getG().multiply(d).normalize();
        byte[] kmsPublicKey = spki(publicKey);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
        int highS = 0;
        for (int i = 0; i < 100; i++) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            BigInteger[] rs = signer.generateSignature(digest); // Bouncy Castle does not normalise s
            if (rs[1].compareTo(HALF_N) > 0) {
                highS++;
            }
            EthereumSignature sig = EthereumSignature.fromKms(digest, der(rs[0], rs[1]), kmsPublicKey);
            assertThat(sig.s()).isLessThanOrEqualTo(HALF_N);
            assertThat(sig.s()).isIn(rs[1], N.subtract(rs[1]));
            assertThat(bouncyCastleVerifies(publicKey, digest, sig.r(), sig.s())).isTrue();
        }
        assertThat(highS).as("Bouncy Castle produced some high-s signatures").isPositive();
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedNamingTheExpectedSigner() {
        Random random = new Random(7);
        BigInteger other = new BigInteger(256, random).mod(N);
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        Reference ref = sign(other, digest, random);
        EthereumAddress expected = EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assertThatThrownBy(() -> EthereumSignature.fromKms(digest, der(ref.r(), ref.s()), expected))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not recover the signer 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    }

    @Test
    void aSignatureOverAnotherDigestIsRefused() {
        Random random = new Random(8);
        BigInteger d = new BigInteger(256, random).mod(N);
        EthereumAddress signer = EthereumAddress.of(CURVE.getG().multiply(d));
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        Reference ref = sign(d, digest, random);
        byte[] otherDigest = digest.clone();
        otherDigest[31] ^= 1;
        assertThat(EthereumSignature.fromKms(digest, der(ref.r(), ref.s()), signer).v()).isEqualTo(ref.expectedV());
        assertThatThrownBy(() -> EthereumSignature.fromKms(otherDigest, der(ref.r(), ref.s()), signer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not recover the signer");
        assertThatThrownBy(() -> EthereumSignature.fromKms(new byte[31], der(ref.r(), ref.s()), signer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void aMinimalWellFormedDerIsRead() {
        // SEQUENCE(6) { INTEGER 1, INTEGER 1 }, and r with its 0x00 sign byte: SEQUENCE(7) { INTEGER 0x0080, INTEGER 1 }
        assertThat(EthereumSignature.parseDer(HEX.parseHex("3006020101020101")))
                .containsExactly(BigInteger.ONE, BigInteger.ONE);
        assertThat(EthereumSignature.parseDer(HEX.parseHex("300702020080020101")))
                .containsExactly(BigInteger.valueOf(0x80), BigInteger.ONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "300602010102010100",          // trailing byte after the sequence (length says 6, 7 follow)
            "30070201010201010000",        // trailing bytes inside the sequence
            "3106020101020101",            // SET, not SEQUENCE
            "3006030101020101",            // BIT STRING for r
            "3006020101040101",            // OCTET STRING for s
            "3006020181020101",            // r = 0x81: negative
            "3006020101020180",            // s = 0x80: negative
            "300702020001020101",          // r = 0x0001: not minimal
            "3006020100020101",            // r = 0
            "3006020101020100",            // s = 0
            "30050200020101",              // r with length 0
            "3008020101020101",            // sequence length beyond the bytes
            "308106020101020101",          // long-form length for a short sequence
            "300402010102",                // s cut off
            "",                            // nothing
            // s = n (SEC 2): 0x00 sign byte then FFFF...4141
            "3026020101022100fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
            // r = n + 1
            "3026022100fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142020101"})
    void malformedDerIsRefused(String hex) {
        assertThatThrownBy(() -> EthereumSignature.parseDer(HEX.parseHex(hex)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DER signature");
        EthereumAddress anyone = EthereumAddress.parse("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
        assertThatThrownBy(() -> EthereumSignature.fromKms(new byte[32], HEX.parseHex(hex), anyone))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DER signature");
    }

    @Test
    void aHighSOrOutOfRangeSignatureCannotBeBuiltDirectly() {
        assertThatThrownBy(() -> new EthereumSignature(BigInteger.ONE, HALF_N.add(BigInteger.ONE), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EIP-2");
        assertThatThrownBy(() -> new EthereumSignature(BigInteger.ONE, BigInteger.ONE, 27))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void legacyVAndTheSixtyFiveBytesFollowTheirFormulas() {
        EthereumSignature sig = new EthereumSignature(BigInteger.valueOf(0x0102), BigInteger.valueOf(0x0304), 1);
        // EIP-155: v = chainId * 2 + 35 + recovery id; anvil 31337 * 2 + 35 + 1 = 62710; mainnet 1 * 2 + 35 + 1 = 38
        assertThat(sig.eip155V(31337)).isEqualTo(62710);
        assertThat(sig.eip155V(1)).isEqualTo(38);
        assertThat(HEX.formatHex(sig.toBytes())).isEqualTo("0".repeat(60) + "0102" + "0".repeat(60) + "0304" + "01");
    }
}
