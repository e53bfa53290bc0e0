package io.waybill.domain.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic event ids for producers that send no message id: a resend of the same reading is the same event.
 *
 * <p>The id is a UUID (version 8, RFC 9562) made from the first 128 bits of SHA-256 over the canonical content:
 * source, type, subject, device time and the {@code data} JSON in its fixed field order. Arrival and processing
 * times are deliberately left out: they differ between a message and its resend.
 */
public final class EventIds {
    private EventIds() {
    }

    public static String deterministic(String source, EventData data, Instant deviceTime) {
        return deterministic(source, data, deviceTime, CanonicalEventJson.dataBytes(data));
    }

    /** @param dataJson {@code data} as serialised by {@link CanonicalEventJson#dataBytes(EventData)} */
    public static String deterministic(String source, EventData data, Instant deviceTime, byte[] dataJson) {
        MessageDigest sha256 = sha256();
        EventType type = EventType.of(data);
        for (String part : new String[]{source, type.type(), data.subject(), String.valueOf(deviceTime)}) {
            sha256.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0x1f);
        }
        sha256.update(dataJson);
        byte[] h = sha256.digest();
        h[6] = (byte) ((h[6] & 0x0f) | 0x80); // version 8: custom (hash-based)
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // RFC 9562 variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (h[i] & 0xff);
            lsb = (lsb << 8) | (h[8 + i] & 0xff);
        }
        return new UUID(msb, lsb).toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
