package io.waybill.domain.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A canonical Waybill event: a CloudEvents 1.0 envelope plus Waybill extension attributes, carrying typed data.
 * {@code source} + {@code id} identify the event (CloudEvents' duplicate rule).
 *
 * @param id             from the producer's raw identity (id scheme {@code idscheme}, see {@link EventIdentity}): its
 *                       message id, else its sequence number, else a hash of its raw message
 * @param source         URI-reference of the producer: {@code urn:waybill:<adapter>:<deviceOrPartnerId>}
 * @param type           versioned type, e.g. {@code waybill.shipment.departed.v1}
 * @param time           when it happened (UTC): the device time, corrected by the device's estimated clock offset when
 *                       the message lets us estimate it ({@code clockoffsetms}); a device time ahead of the reference
 *                       with no estimate is capped at the reference ({@link io.waybill.domain.time.ClockSkewPolicy})
 * @param subject        the GS1 key the event is about
 * @param devicetime     the time the device or partner reported, kept as reported (converted to UTC)
 * @param processingtime when Waybill normalised the event (UTC)
 * @param brokertime     when the MQTT broker / partner gateway received the message (IoT rule {@code timestamp()}), if known
 * @param streamtime     when the record reached the stream (Kinesis approximate arrival), if known
 * @param clockskewms    processing reference minus device time in ms (positive = device clock behind)
 * @param clockskewed    true when the device clock is implausible: its estimated offset, or its time ahead of the
 *                       reference, exceeds the configured bound
 * @param adapter        the adapter that normalised the raw record
 * @param sequence       the device's own message sequence number, if it sends one
 * @param data           the typed payload
 * @param edgetime       when the edge component emitted the message (the edge device's clock), for messages that
 *                       came through Waybill's edge component; else null
 * @param idscheme       the id scheme the id was made under ({@link EventIdentity#SCHEME}); 0 when not recorded
 *                       (events stored before the scheme was recorded are scheme 1)
 * @param contenthash    SHA-256 of the producer's canonical raw message (ingested events), or of the canonical
 *                       {@code data} (events Waybill decides itself); null when not recorded
 * @param clockoffsetms  the device clock's estimated offset in ms (positive: behind true time), from the message's own
 *                       send stamp against the broker's receive time; null when the message does not tell
 * @param late           true when the event is older than the configured age when it reached us (kept as it is: a
 *                       store-and-forward logger, an ocean reefer offline for weeks)
 * @param unassigned     true when a device reported on a shipment it was not assigned to at the event's time and the
 *                       stage accepts such events flagged instead of dead-lettering them ({@code UNASSIGNED}); set only
 *                       by ingest's producer checks
 *                       ({@link io.waybill.domain.device.ProducerVerification.UnassignedPolicy#FLAG})
 */
public record CanonicalEvent(String id, String source, String type, Instant time, String subject,
                             Instant devicetime, Instant brokertime, Instant streamtime, Instant processingtime,
                             long clockskewms, boolean clockskewed, String adapter, Long sequence,
                             EventData data, Instant edgetime, int idscheme, String contenthash,
                             Long clockoffsetms, boolean late, boolean unassigned) {
    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public CanonicalEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    /** An event that is not flagged {@code unassigned}. */
    public CanonicalEvent(String id, String source, String type, Instant time, String subject, Instant devicetime,
                          Instant brokertime, Instant streamtime, Instant processingtime, long clockskewms,
                          boolean clockskewed, String adapter, Long sequence, EventData data, Instant edgetime,
                          int idscheme, String contenthash, Long clockoffsetms, boolean late) {
        this(id, source, type, time, subject, devicetime, brokertime, streamtime, processingtime, clockskewms,
                clockskewed, adapter, sequence, data, edgetime, idscheme, contenthash, clockoffsetms, late, false);
    }

    /** An event without id scheme, content hash, offset estimate or lateness (a fixture, a decision). */
    public CanonicalEvent(String id, String source, String type, Instant time, String subject, Instant devicetime,
                          Instant brokertime, Instant streamtime, Instant processingtime, long clockskewms,
                          boolean clockskewed, String adapter, Long sequence, EventData data, Instant edgetime) {
        this(id, source, type, time, subject, devicetime, brokertime, streamtime, processingtime, clockskewms,
                clockskewed, adapter, sequence, data, edgetime, 0, null, null, false);
    }

    /** An event that did not come through the edge component (no {@code edgetime}). */
    public CanonicalEvent(String id, String source, String type, Instant time, String subject, Instant devicetime,
                          Instant brokertime, Instant streamtime, Instant processingtime, long clockskewms,
                          boolean clockskewed, String adapter, Long sequence, EventData data) {
        this(id, source, type, time, subject, devicetime, brokertime, streamtime, processingtime, clockskewms,
                clockskewed, adapter, sequence, data, null, 0, null, null, false);
    }

    /** This event flagged {@code unassigned} (its identity and content hash unchanged). */
    public CanonicalEvent withUnassigned() {
        return new CanonicalEvent(id, source, type, time, subject, devicetime, brokertime, streamtime, processingtime,
                clockskewms, clockskewed, adapter, sequence, data, edgetime, idscheme, contenthash, clockoffsetms, late,
                true);
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
