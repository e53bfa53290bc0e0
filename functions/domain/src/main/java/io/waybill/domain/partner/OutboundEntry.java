package io.waybill.domain.partner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code PutEvents} entry for one partner, in domain terms (no AWS types).
 *
 * @param partnerId  the partner it is for (also inside {@code detail} as {@code detail.partner})
 * @param sscc       the shipment it is about (to settle it)
 * @param eventId    the canonical event's id (also inside {@code detail} as {@code detail.eventId}: the partner's
 *                   dedupe key, since EventBridge delivers at least once)
 * @param source     the entry's {@code Source}
 * @param detailType the entry's {@code DetailType}: the canonical type, e.g. {@code waybill.shipment.departed.v1}
 * @param detail     the entry's {@code Detail}: a JSON object as a string
 * @param resources  the entry's {@code Resources}; may be empty
 * @param time       the entry's {@code Time}: the canonical event's time; may be null (EventBridge then stamps it)
 */
public record OutboundEntry(String partnerId, String sscc, String eventId, String source, String detailType,
                            String detail, List<String> resources, Instant time) {
    /** {@code PutEvents}' limit on one entry, {@value} bytes (256 KB). */
    public static final int MAX_ENTRY_BYTES = 256 * 1024;
    /** What {@code Time} counts for, whatever its value. */
    public static final int TIME_BYTES = 14;

    public OutboundEntry {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detailType, "detailType");
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /**
     * The entry's size as EventBridge computes it ("Calculating PutEvents event entry size"): {@code Time} 14 bytes
     * when given; {@code Source}, {@code DetailType}, {@code Detail} and each of {@code Resources} by the length of
     * their UTF-8 encoding. (The event EventBridge builds from it is larger; the limit is on this number.)
     */
    public int size() {
        int size = time == null ? 0 : TIME_BYTES;
        size += utf8(source) + utf8(detailType);
        if (detail != null) {
            size += utf8(detail);
        }
        for (String r : resources) {
            if (r != null) {
                size += utf8(r);
            }
        }
        return size;
    }

    /** Settled key of this entry's (partner, event) pair. */
    public String settledKey() {
        return ShipmentFile.settledKey(partnerId, eventId);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
