package io.waybill.domain.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A canonical Waybill event: a CloudEvents 1.0 envelope plus Waybill extension attributes, carrying typed data.
 * {@code source} + {@code id} identify the event (CloudEvents' duplicate rule).
 *
 * @param id             vendor message id where the device or partner gives one, else derived from the canonical content
 * @param source         URI-reference of the producer: {@code urn:waybill:<adapter>:<deviceOrPartnerId>}
 * @param type           versioned type, e.g. {@code waybill.shipment.departed.v1}
 * @param time           when it happened (UTC): the device time, or the stream arrival time when the device clock is
 *                       skewed beyond the configured bound
 * @param subject        the GS1 key the event is about
 * @param devicetime     the time the device or partner reported, kept as reported (converted to UTC)
 * @param processingtime when Waybill normalised the event (UTC)
 * @param brokertime     when the MQTT broker / partner gateway received the message (IoT rule {@code timestamp()}), if known
 * @param streamtime     when the record reached the stream (Kinesis approximate arrival), if known
 * @param clockskewms    processing reference minus device time in ms (positive = device clock behind)
 * @param clockskewed    true when |clockskewms| exceeds the configured bound
 * @param adapter        the adapter that normalised the raw record
 * @param sequence       the device's own message sequence number, if it sends one
 * @param data           the typed payload
 * @param edgetime       when the edge component emitted the message (the edge device's clock), for messages that
 *                       came through Waybill's edge component; else null
 */
public record CanonicalEvent(String id, String source, String type, Instant time, String subject,
                             Instant devicetime, Instant brokertime, Instant streamtime, Instant processingtime,
                             long clockskewms, boolean clockskewed, String adapter, Long sequence,
                             EventData data, Instant edgetime) {
    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public CanonicalEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** An event that did not come through the edge component (no {@code edgetime}). */
    public CanonicalEvent(String id, String source, String type, Instant time, String subject, Instant devicetime,
                          Instant brokertime, Instant streamtime, Instant processingtime, long clockskewms,
                          boolean clockskewed, String adapter, Long sequence, EventData data) {
        this(id, source, type, time, subject, devicetime, brokertime, streamtime, processingtime, clockskewms,
                clockskewed, adapter, sequence, data, null);
    }

    public EventType eventType() {
        return EventType.of(data);
    }

    public String dataschema() {
        return eventType().dataschema();
    }

    /** The dedupe key: CloudEvents identity is source + id. */
    public String eventKey() {
        return source + "#" + id;
    }
}
