package io.waybill.edge.component;

import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.PayloadSignature;

import javax.crypto.KeyAgreement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Objects;

/**
 * The device's signing key: its P-256 private key (PKCS#8 PEM, provisioned on the device with its certificate and
 * never leaving it), the public key derived from it and the key id the registry knows it by
 * ({@link DeviceKeys#keyId}, the RFC 7638 thumbprint). Only the private key file is provisioned: the public point is
 * derived here with the JDK (ECDH of the private scalar with the curve's generator gives x of d·G; y is the square
 * root of the curve equation, the root whose key verifies a probe signature), so a private and a public key file can
 * never disagree.
 *
 * @param privateKey the signing key
 * @param publicKey  its public key (what the registry holds)
 * @param kid        {@link DeviceKeys#keyId} of the public key, carried in every {@code wb_sig}
 */
public record SigningKey(PrivateKey privateKey, ECPublicKey publicKey, String kid) {

    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(kid, "kid");
    }

    /**
     * Reads a PKCS#8 PEM P-256 private key file.
     *
     * @throws IllegalArgumentException when the file is not a P-256 private key in PKCS#8 PEM
     * @throws UncheckedIOException     when it cannot be read
     */
    public static SigningKey load(Path pemFile) {
        String pem;
        try {
            pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + pemFile, e);
        }
        PrivateKey key;
        try {
            key = DeviceKeys.decodePrivatePem(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signingKeyPath " + pemFile + ": " + e.getMessage(), e);
        }
        return of(key);
    }

    /** The signing key of a private key, its public key derived. */
    public static SigningKey of(PrivateKey key) {
        ECPublicKey pub = publicOf(key);
        return new SigningKey(key, pub, DeviceKeys.keyId(pub));
    }

    /** Signs one message with {@code sequence}: the canonical bytes to publish ({@link PayloadSignature#sign}). */
    public byte[] sign(byte[] messageJson, long sequence) {
        return PayloadSignature.sign(messageJson, privateKey, kid, sequence);
    }

    /** The P-256 public key of a private key. */
    static ECPublicKey publicOf(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException("the signing key must be an EC (P-256) key, was " + key.getAlgorithm());
        }
        ECParameterSpec params = ec.getParams();
        if (!(params.getCurve().getField() instanceof ECFieldFp field) || field.getFieldSize() != 256) {
            throw new IllegalArgumentException("the signing key must be on P-256");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("EC");
            ECPublicKey generator = (ECPublicKey) kf.generatePublic(new ECPublicKeySpec(params.getGenerator(), params));
            KeyAgreement ka = KeyAgreement.getInstance("ECDH");
            ka.init(key);
            ka.doPhase(generator, true);
            BigInteger x = new BigInteger(1, ka.generateSecret());
            BigInteger p = field.getP();
            BigInteger rhs = x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
            BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p); // p = 3 mod 4
            if (!y.multiply(y).mod(p).equals(rhs)) {
                throw new IllegalArgumentException("the signing key's public point is not on the curve");
            }
            for (BigInteger candidate : new BigInteger[] {y, p.subtract(y)}) {
                ECPublicKey pub = (ECPublicKey) kf.generatePublic(new ECPublicKeySpec(new ECPoint(x, candidate), params));
                if (verifiesProbe(key, pub)) {
                    return DeviceKeys.decodePublic(DeviceKeys.encodePublic(pub));
                }
            }
            throw new IllegalArgumentException("no public key verifies the signing key's probe signature");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key of the signing key: " + e.getMessage(), e);
        }
    }

    private static boolean verifiesProbe(PrivateKey key, ECPublicKey pub) throws GeneralSecurityException {
        byte[] probe = "waybill signing key probe".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(probe);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(pub);
        v.update(probe);
        return v.verify(sig);
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + "]";
    }
}
