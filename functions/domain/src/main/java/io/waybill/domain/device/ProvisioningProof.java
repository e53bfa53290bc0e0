package io.waybill.domain.device;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A device's proof, at fleet provisioning, that it holds the signing key the registry has for its thing: without it,
 * anyone holding the fleet's shared claim certificate could obtain a certificate for a registered thing name.
 *
 * <ul>
 *   <li>The signed bytes are the UTF-8 bytes of {@code waybill-provisioning-v1:<thing>:<certificateId>}
 *       ({@link #signedBytes}): the thing the device asks to become and the id of the certificate AWS IoT issued for
 *       the device's own CSR (CreateCertificateFromCsr, or CreateKeysAndCertificate, answers it). The certificate id
 *       contains no {@code :}, so the string names exactly one (thing, certificate) pair; the prefix keeps a proof
 *       from ever being read as another kind of signature by the same key.</li>
 *   <li>The proof is ES256 as JWS encodes it: ECDSA P-256 with SHA-256, {@code r || s} (32 bytes each), base64url
 *       without padding; the key is named by its RFC 7638 thumbprint ({@link DeviceKeys#keyId}).</li>
 *   <li>Why this binds the certificate: a proof names one certificate id, the certificate's private key never left
 *       the device that made the CSR, and only the registered device holds the signing key. A proof seen in transit
 *       is useless for any other certificate.</li>
 * </ul>
 *
 * <p>With OpenSSL on a device: {@code printf 'waybill-provisioning-v1:%s:%s' "$THING" "$CERT_ID" | openssl dgst
 * -sha256 -sign signing.key}, then the DER signature's r and s, each left-padded to 32 bytes, concatenated, base64url.
 */
public final class ProvisioningProof {
    /** The domain-separation prefix of the signed bytes (version 1). */
    public static final String CONTEXT = "waybill-provisioning-v1";
    private static final String JCA_ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final int SIGNATURE_BYTES = 64;

    private ProvisioningProof() {
    }

    /** What verification found. */
    public sealed interface Verification {
        /** True only for {@link Valid}. */
        default boolean valid() {
            return false;
        }
    }

    /** No proof, or no key id, was given. */
    public record Missing(String detail) implements Verification {
    }

    /** A proof that cannot be one: not base64url, not 64 bytes, an unusable thing name or certificate id. */
    public record Malformed(String detail) implements Verification {
    }

    /** The key id names no signing key registered for the thing. */
    public record UnknownKey(String kid) implements Verification {
    }

    /** Well formed, but not a signature of these bytes by that key: another thing, certificate or key. */
    public record Forged(String kid) implements Verification {
    }

    /** The registered key {@code kid} signed this thing and this certificate id. */
    public record Valid(String kid) implements Verification {
        @Override
        public boolean valid() {
            return true;
        }
    }

    /**
     * The bytes a device signs: UTF-8 of {@code waybill-provisioning-v1:<thing>:<certificateId>}.
     *
     * @throws IllegalArgumentException for a blank thing or certificate id, or a certificate id containing {@code :}
     */
    public static byte[] signedBytes(String thing, String certificateId) {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(certificateId, "certificateId");
        if (thing.isBlank() || certificateId.isBlank()) {
            throw new IllegalArgumentException("thing and certificate id must not be blank");
        }
        if (certificateId.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a certificate id contains no ':'");
        }
        return (CONTEXT + ":" + thing + ":" + certificateId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The proof a device sends as the provisioning parameter {@code CertificateProof}.
     *
     * @param key the device's signing key (P-256), the one whose public key the registry holds
     * @return base64url (no padding) of the 64-byte {@code r || s} signature
     */
    public static String sign(PrivateKey key, String thing, String certificateId) {
        byte[] message = signedBytes(thing, certificateId);
        try {
            Signature s = Signature.getInstance(JCA_ALGORITHM);
            s.initSign(key);
            s.update(message);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a proof against the thing's registered keys.
     *
     * @param thing         the thing the device asks to be provisioned as
     * @param certificateId the certificate AWS IoT is about to activate for it
     * @param kid           the key id the device names
     * @param proof         the proof it sent
     * @param keys          the thing's registered signing keys by key id
     */
    public static Verification verify(String thing, String certificateId, String kid, String proof,
                                      Map<String, ECPublicKey> keys) {
        Objects.requireNonNull(keys, "keys");
        if (proof == null || proof.isBlank()) {
            return new Missing("no certificate proof");
        }
        if (kid == null || kid.isBlank()) {
            return new Missing("no key id");
        }
        byte[] message;
        try {
            message = signedBytes(thing == null ? "" : thing, certificateId == null ? "" : certificateId);
        } catch (IllegalArgumentException e) {
            return new Malformed(e.getMessage());
        }
        ECPublicKey key = keys.get(kid);
        if (key == null) {
            return new UnknownKey(kid);
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(proof);
        } catch (IllegalArgumentException e) {
            return new Malformed("the proof is not base64url");
        }
        if (signature.length != SIGNATURE_BYTES) {
            return new Malformed("the proof must be 64 bytes (r || s), was " + signature.length);
        }
        try {
            Signature s = Signature.getInstance(JCA_ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature) ? new Valid(kid) : new Forged(kid);
        } catch (GeneralSecurityException e) {
            return new Forged(kid);
        }
    }
}
