package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.InventoryObserved;
import io.waybill.domain.identity.Epc;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * RFID dock-door portals: one message per read cycle, tags as SGTIN-96/SSCC-96 hex or EPC URNs, repeated reads of
 * one tag within the cycle, the site's GLN. One SSCC among the tags makes the event about that shipment. The reader
 * id ({@code readerId}) is the thing name.
 */
public final class RfidPortalAdapter implements VendorAdapter {
    public static final String ID = "rfid-portal";
    /** A dock-door read cycle sees at most a few pallets of cases; more tags than this is a malfunction or an attack. */
    public static final int MAX_TAGS_PER_READ = 2_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public AdaptedEvent adapt(VendorPayload p, String producerId) {
        String reader = DeviceIdentity.requireThing("readerId", p.text("readerId"), producerId);
        Instant at = DeviceTimestamps.fromIso(p.text("readTime"), "readTime");
        String gln = Gln.parse(p.text("siteGln"), "siteGln");
        JsonNode tags = p.requiredNode("tags");
        if (!tags.isArray() || tags.isEmpty()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, "tags must be a non-empty array");
        }
        if (tags.size() > MAX_TAGS_PER_READ) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "tags: " + tags.size() + " tags in one read cycle, more than " + MAX_TAGS_PER_READ);
        }
        TreeSet<String> epcs = new TreeSet<>();
        for (int i = 0; i < tags.size(); i++) {
            String field = "tags[" + i + "].epc";
            JsonNode epc = tags.get(i).get("epc");
            if (epc == null || !epc.isTextual() || epc.asText().isBlank()) {
                throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + " is required");
            }
            String raw = epc.asText().strip();
            epcs.add(raw.startsWith("urn:") ? Epc.parse(raw, field) : Epc.fromHex96(raw));
        }
        List<String> ssccs = epcs.stream().filter(Epc::isSscc).map(Epc::ssccOf).toList();
        String shipment = ssccs.size() == 1 ? ssccs.get(0) : null;
        InventoryObserved data = new InventoryObserved(gln, reader, List.copyOf(epcs), shipment);
        return new AdaptedEvent(data, at, null, null);
    }
}
