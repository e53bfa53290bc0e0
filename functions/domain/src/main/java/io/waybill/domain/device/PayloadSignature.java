package io.waybill.domain.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.normalize.RecordNormalizer;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.Map;

/**
 * A device's signature on its own message, carried in the message as the field {@value #FIELD} (the shape of the JSON
 * Signature Format, JSF, whose canonicalisation is RFC 8785):
 *
 * <pre>{@code "wb_sig": {"alg": "ES256", "kid": "<RFC 7638 thumbprint>", "seq": <int64 >= 0>, "sig": "<base64url>"}}</pre>
 *
 * <ul>
 *   <li>{@code sig} is ECDSA P-256 with SHA-256, as JWS ES256 encodes it: {@code r || s}, 32 bytes each, base64url
 *       without padding.</li>
 *   <li>The signed bytes are the RFC 8785 canonical form of the message object with {@code wb_sig.sig} removed (so
 *       {@code alg}, {@code kid} and {@code seq} are signed too) and without the fields the IoT rule adds
 *       ({@link RecordNormalizer#ROUTING_FIELDS}).</li>
 *   <li>Why the canonical form and not the bytes as published: the IoT rule's {@code SELECT *} re-serialises the
 *       JSON, so the published bytes never reach the stream. A device publishes exactly the canonical bytes
 *       ({@link #sign} returns them), and any faithful re-serialisation canonicalises back to them: verifying
 *       checks the device's own bytes.</li>
 *   <li>{@code seq} is the device's signing counter per key, strictly increasing across restarts: the replay check
 *       refuses a sequence older than the registry's highest accepted one less the reordering window.</li>
 * </ul>
 */
public final class PayloadSignature {
    /** The message field that carries the signature. */
    public static final String FIELD = "wb_sig";
    /** The only algorithm: ECDSA P-256 SHA-256. */
    public static final String ALGORITHM = "ES256";
    private static final String JCA_ALGORITHM = "SHA256withECDSAinP1363Format";

    private PayloadSignature() {
    }

    /** What verification found. */
    public sealed interface Verification {
    }

    /** The message carries no {@value #FIELD}. */
    public record Unsigned() implements Verification {
    }

    /** {@value #FIELD} is there but not well formed, or names a key the device does not have. */
    public record Malformed(String detail) implements Verification {
    }

    /** Well formed, but the signature does not verify with the named key: forged, or altered after signing. */
    public record Forged(String kid) implements Verification {
    }

    /** A valid signature by key {@code kid} on sequence {@code seq}. */
    public record Valid(String kid, long seq) implements Verification {
    }

    /**
     * Signs a message as a device publishes it.
     *
     * @param message the message as JSON (an object without {@value #FIELD}; not modified)
     * @return the payload to publish: the message with {@value #FIELD}, in RFC 8785 canonical form
     */
    public static byte[] sign(byte[] message, PrivateKey key, String kid, long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("sequence must be >= 0, was " + seq);
        }
        ObjectNode root;
        try {
            JsonNode n = CanonicalEventJson.MAPPER.readTree(message);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("a message to sign must be a JSON object");
            }
            root = (ObjectNode) n;
        } catch (IOException e) {
            throw new IllegalArgumentException("a message to sign must be JSON: " + e.getMessage(), e);
        }
        if (root.has(FIELD)) {
            throw new IllegalArgumentException("the message is already signed");
        }
        ObjectNode sig = root.putObject(FIELD);
        sig.put("alg", ALGORITHM).put("kid", kid).put("seq", seq);
        try {
            Signature s = Signature.getInstance(JCA_ALGORITHM);
            s.initSign(key);
            s.update(canonical(root));
            sig.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
        return canonical(root);
    }

    /**
     * Verifies a received message (routing fields may be present; they are not signed).
     *
     * @param root the message as received (not modified)
     * @param keys the device's keys by key id
     */
    public static Verification verify(ObjectNode root, Map<String, ECPublicKey> keys) {
        JsonNode sig = root.get(FIELD);
        if (sig == null || sig.isNull()) {
            return new Unsigned();
        }
        if (!sig.isObject()) {
            return new Malformed(FIELD + " is not an object");
        }
        JsonNode alg = sig.get("alg");
        JsonNode kid = sig.get("kid");
        JsonNode seq = sig.get("seq");
        JsonNode value = sig.get("sig");
        if (alg == null || !ALGORITHM.equals(alg.asText(null)) || !alg.isTextual()) {
            return new Malformed(FIELD + ".alg must be " + ALGORITHM);
        }
        if (kid == null || !kid.isTextual()) {
            return new Malformed(FIELD + ".kid is missing");
        }
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 0) {
            return new Malformed(FIELD + ".seq must be an integer >= 0");
        }
        if (value == null || !value.isTextual()) {
            return new Malformed(FIELD + ".sig is missing");
        }
        ECPublicKey key = keys.get(kid.asText());
        if (key == null) {
            return new Malformed(FIELD + ".kid '" + abbreviate(kid.asText()) + "' is not a key of this device");
        }
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            return new Malformed(FIELD + ".sig is not base64url");
        }
        if (signature.length != 64) {
            return new Malformed(FIELD + ".sig must be 64 bytes (r || s), was " + signature.length);
        }
        ObjectNode signed = root.deepCopy();
        signed.remove(RecordNormalizer.ROUTING_FIELDS);
        ((ObjectNode) signed.get(FIELD)).remove("sig");
        return Es256.verify(key, canonical(signed), signature) ? new Valid(kid.asText(), seq.longValue())
                : new Forged(kid.asText());
    }

    private static byte[] canonical(ObjectNode node) {
        try {
            return new JsonCanonicalizer(CanonicalEventJson.MAPPER.writeValueAsString(node)).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON object is always serialisable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not representable in RFC 8785 canonical JSON: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

}
