package io.waybill.domain.device;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Device signing keys: ECDSA on P-256 (secp256r1), with the JDK's own provider (no hand-written curve code).
 *
 * <ul>
 *   <li>Public keys travel and are stored as base64 (standard alphabet, padded) of their X.509
 *       SubjectPublicKeyInfo DER: what {@code openssl ec -pubout -outform DER} writes.</li>
 *   <li>Private keys are PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), what {@code openssl genpkey -algorithm EC
 *       -pkeyopt ec_paramgen_curve:P-256} writes; they stay on the device.</li>
 *   <li>A key's id is its RFC 7638 JWK thumbprint: base64url (no padding) of SHA-256 over
 *       {@code {"crv":"P-256","kty":"EC","x":"<x>","y":"<y>"}}, coordinates base64url of their 32 big-endian bytes.
 *       Any JOSE library computes the same id from the same key.</li>
 * </ul>
 */
public final class DeviceKeys {
    private static final int COORDINATE_BYTES = 32;

    private DeviceKeys() {
    }

    /** A new P-256 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256 key generation", e);
        }
    }

    /** Base64 of the key's SubjectPublicKeyInfo DER. */
    public static String encodePublic(ECPublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * @param base64 base64 of a SubjectPublicKeyInfo DER
     * @throws IllegalArgumentException when it is not a P-256 public key
     */
    public static ECPublicKey decodePublic(String base64) {
        try {
            ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
            if (key.getParams().getCurve().getField().getFieldSize() != 256
                    || !key.getParams().getOrder().equals(P256_ORDER)) {
                throw new IllegalArgumentException("not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a P-256 public key (base64 of SubjectPublicKeyInfo DER): " + e.getMessage(), e);
        }
    }

    /** PKCS#8 PEM of a private key. */
    public static String encodePrivatePem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * @param pem PKCS#8 PEM of an EC private key
     * @throws IllegalArgumentException when it is not one
     */
    public static PrivateKey decodePrivatePem(String pem) {
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PKCS#8 PEM EC private key: " + e.getMessage(), e);
        }
    }

    /** The key's RFC 7638 JWK thumbprint (SHA-256, base64url without padding). */
    public static String keyId(ECPublicKey key) {
        String jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX())
                + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String coordinate(BigInteger c) {
        byte[] b = c.toByteArray();
        byte[] fixed = new byte[COORDINATE_BYTES];
        if (b.length > COORDINATE_BYTES) {
            b = Arrays.copyOfRange(b, b.length - COORDINATE_BYTES, b.length); // drop a sign byte
        }
        System.arraycopy(b, 0, fixed, COORDINATE_BYTES - b.length, b.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
}
