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
 */
public record AdaptedEvent(EventData data, Instant deviceTime, String vendorMessageId, Long sequence,
                           Instant edgeTime) {
    public AdaptedEvent(EventData data, Instant deviceTime, String vendorMessageId, Long sequence) {
        this(data, deviceTime, vendorMessageId, sequence, null);
    }

    public AdaptedEvent {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(deviceTime, "deviceTime");
    }
}
