package io.waybill.domain.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An event's hash for anchoring, independent of field order and formatting: SHA-256 of the RFC 8785 canonical JSON
 * (JCS) of the canonical event (CloudEvents structured JSON, {@link CanonicalEventJson}) without its own {@code id}
 * (as GS1's EPCIS event hash leaves out {@code eventID}). Every other field, {@code data} included, is committed to.
 */
public final class EventHash {
    /** The envelope field left out: the event's own id. */
    public static final String EXCLUDED_FIELD = "id";

    private final byte[] sha256;

    private EventHash(byte[] sha256) {
        this.sha256 = sha256;
    }

    public static EventHash of(CanonicalEvent event) {
        return of(CanonicalEventJson.toJson(event));
    }

    /** The hash of an event in its JSON form (as stored or streamed); {@code event} is not modified. */
    public static EventHash of(ObjectNode event) {
        ObjectNode hashed = event.deepCopy();
        hashed.remove(EXCLUDED_FIELD);
        try {
            byte[] canonical = new JsonCanonicalizer(CanonicalEventJson.MAPPER.writeValueAsString(hashed))
                    .getEncodedUTF8();
            return new EventHash(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always serialisable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not representable in RFC 8785 canonical JSON: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** A hash kept as {@link #hex()} (a ledger, a proof): 64 hex digits, either case. */
    public static EventHash ofHex(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("an event hash is 64 hex digits: " + hex);
        }
        return new EventHash(HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The 32 bytes (a copy). */
    public byte[] bytes() {
        return sha256.clone();
    }

    /** 64 lower-case hex digits. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The bytes32 leaf value a proof is for: {@code 0x} + {@link #hex()}. */
    public String leafValue() {
        return "0x" + hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventHash other && java.util.Arrays.equals(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return hex();
    }
}
