package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.epcis.EpcisImport;
import io.waybill.domain.normalize.RecordNormalizer;

import java.util.Set;

/**
 * A partner's GS1 EPCIS 2.0 event ({@code epcis}): one raw record is one event object exactly as it appears in an
 * {@code EPCISDocument}'s {@code epcisBody.eventList}, plus the routing fields ({@code wb_route}
 * {@code epcis/<partnerId>}, {@code wb_received_ms}); the source is {@code urn:waybill:epcis:<partnerId>}. The mapping
 * is {@link EpcisImport}'s; the message id is the {@code eventID}, else the CBV 2.0 event hash, so a resend is a
 * duplicate, and an error declaration gets its own ({@code <id>#error-declared}).
 */
public final class EpcisAdapter implements VendorAdapter {
    public static final String ID = "epcis";
    private static final Set<String> TRANSPORT = Set.of("eventID", "recordTime");

    @Override
    public String id() {
        return ID;
    }

    /** A partner, reached through the partner route, not a device: the device registry does not apply. */
    @Override
    public boolean device() {
        return false;
    }

    /**
     * {@code eventID} and {@code recordTime} are not content: the id is taken from the {@code eventID} (or the event
     * hash, which leaves both out too), and {@code recordTime} is stamped by the partner's repository on capture. So
     * the same event resent with or without its hash {@code eventID}, or with another {@code recordTime}, is a
     * duplicate rather than an id conflict.
     */
    @Override
    public Set<String> transportFields() {
        return TRANSPORT;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload payload, String producerId) {
        ObjectNode event = payload.root().deepCopy();
        RecordNormalizer.ROUTING_FIELDS.forEach(event::remove);
        EpcisImport.Imported imported = EpcisImport.event(event);
        return new AdaptedEvent(imported.data(), imported.time(), imported.messageId(), null);
    }
}
