package io.waybill.domain.adapter;

import io.waybill.domain.event.EventData;

import java.time.Instant;
import java.util.Objects;

/**
 * What an adapter extracts from a vendor payload, before envelope assignment.
 *
 * @param data            the canonical payload, units converted, identities validated
 * @param deviceTime      when it happened according to the device or partner (UTC)
 * @param vendorMessageId the producer's own message id, if it sends one (becomes the CloudEvents id)
 * @param sequence        the producer's own sequence number, if it sends one
 * @param edgeTime        when Waybill's edge component emitted the message (its clock), if it came through it
 * @param sentTime        when the producer published the message by its own clock (a transport stamp, not part of
 *                        the fact), if it sends one: with the broker's receive time it gives the clock's offset
 */
public record AdaptedEvent(EventData data, Instant deviceTime, String vendorMessageId, Long sequence,
                           Instant edgeTime, Instant sentTime) {
    public AdaptedEvent(EventData data, Instant deviceTime, String vendorMessageId, Long sequence) {
        this(data, deviceTime, vendorMessageId, sequence, null, null);
    }

    public AdaptedEvent {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(deviceTime, "deviceTime");
    }
}
