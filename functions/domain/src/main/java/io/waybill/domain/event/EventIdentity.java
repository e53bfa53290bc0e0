package io.waybill.domain.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An event's identity under id scheme {@value #SCHEME}: the id comes from what the producer sent, never from what an
 * adapter made of it, so changing an adapter (rounding, a new optional field) does not change the id of a resend or
 * of an in-flight redelivery, and the event store still absorbs it.
 *
 * <p>The id, in order of preference:
 * <ol>
 *   <li>the producer's message id, as sent when it is at most {@value #MAX_ID_LENGTH} characters of
 *       {@code [A-Za-z0-9._:~@+=-]}; otherwise {@code msg-sha256-<64 hex>} of it (an over-long or odd vendor id never
 *       reaches DynamoDB's key limits);</li>
 *   <li>else the producer's own sequence number: {@code seq-<n>};</li>
 *   <li>else a UUID (version 8, RFC 9562) from the first 128 bits of SHA-256 over the scheme tag, the source and the
 *       producer's raw message in RFC 8785 canonical form without the fields Waybill's routing added
 *       ({@link io.waybill.domain.normalize.RawContent}).</li>
 * </ol>
 * The content hash is SHA-256 (lower-case hex) over that same canonical raw message: a second record with the same
 * source + id and the same content hash is a duplicate; with another content hash it is an id conflict (a vendor id
 * or sequence reused for another reading), which is dead-lettered and never absorbed.
 *
 * @param id          the CloudEvents id
 * @param scheme      the id scheme version, {@value #SCHEME}
 * @param contentHash SHA-256 of the canonical raw message, 64 lower-case hex digits
 */
public record EventIdentity(String id, int scheme, String contentHash) {
    /** The current id scheme. Scheme 1 (before it) hashed the canonical output: see {@link EventIds}. */
    public static final int SCHEME = 2;
    /** Longest id kept as the producer sent it. */
    public static final int MAX_ID_LENGTH = 128;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:~@+=-]{1," + MAX_ID_LENGTH + "}");
    private static final byte[] TAG = ("waybill.eventid.v" + SCHEME).getBytes(StandardCharsets.UTF_8);

    /**
     * @param source          the event's source ({@code urn:waybill:<adapter>:<producer>})
     * @param vendorMessageId the producer's message id, or null
     * @param sequence        the producer's sequence number, or null
     * @param canonicalRaw    the raw message in canonical form ({@link io.waybill.domain.normalize.RawContent})
     */
    public static EventIdentity of(String source, String vendorMessageId, Long sequence, byte[] canonicalRaw) {
        String contentHash = HexFormat.of().formatHex(sha256().digest(canonicalRaw));
        String id;
        if (vendorMessageId != null) {
            id = messageId(vendorMessageId);
        } else if (sequence != null) {
            id = "seq-" + sequence;
        } else {
            MessageDigest d = sha256();
            d.update(TAG);
            d.update((byte) 0x1f);
            d.update(source.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0x1f);
            d.update(canonicalRaw);
            id = uuid8(d.digest());
        }
        return new EventIdentity(id, SCHEME, contentHash);
    }

    /**
     * The id a producer's message id becomes (rule 1 above): the message id as sent when it is safe, else
     * {@code msg-sha256-<64 hex>} of it. What an adapter needs to name another event of the same producer by its
     * canonical id (an EPCIS error declaration naming the erroneous event).
     */
    public static String messageId(String vendorMessageId) {
        return SAFE_ID.matcher(vendorMessageId).matches() ? vendorMessageId
                : "msg-sha256-" + HexFormat.of().formatHex(sha256().digest(vendorMessageId.getBytes(StandardCharsets.UTF_8)));
    }

    /** A UUID version 8 (RFC 9562, custom) from the first 128 bits of a hash. */
    static String uuid8(byte[] h) {
        h[6] = (byte) ((h[6] & 0x0f) | 0x80);
        h[8] = (byte) ((h[8] & 0x3f) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (h[i] & 0xff);
            lsb = (lsb << 8) | (h[8 + i] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
