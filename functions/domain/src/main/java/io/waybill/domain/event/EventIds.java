package io.waybill.domain.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Ids derived from canonical content, for events Waybill makes itself (the cold-chain loop's decisions) and the
 * legacy id scheme 1 of ingested events: a resend of the same reading is the same event as long as the adapter does
 * not change. Ingested events use {@link EventIdentity} (scheme 2) since that is not enough.
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

    /**
     * The id an ingested event had under id scheme 1 (before scheme 2, {@link EventIdentity}): the producer's message
     * id exactly as sent when it sent one, else {@link #deterministic(String, EventData, Instant)} over the adapter's
     * output with the device time the adapter read (never the arrival time the clock policy then put in {@code time}).
     */
    public static String scheme1(String source, String vendorMessageId, EventData data, Instant deviceTime) {
        return vendorMessageId != null ? vendorMessageId : deterministic(source, data, deviceTime);
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
        return EventIdentity.uuid8(sha256.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
