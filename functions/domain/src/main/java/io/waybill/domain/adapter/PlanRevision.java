package io.waybill.domain.adapter;

import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.DeviceTimestamps;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every plan-carrying partner message has (a planning system's plan, a supplier's advance ship notice): the
 * document's number and revision (the event id {@code <number>-r<revision>}, so a resent revision is a duplicate and
 * each revision its own event), when the revision was issued (the event time: the later revision wins), the shipment
 * and its product class.
 */
record PlanRevision(String documentId, long revision, Instant issuedAt, String sscc, String productClass) {
    /** A product class name as the catalog writes it (after lower-casing). */
    static final Pattern PRODUCT_CLASS_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern DOCUMENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    /** Reads and checks the common fields; {@code idField} names the document number (planId, asnNumber). */
    static PlanRevision read(VendorPayload p, String idField) {
        String id = p.text(idField);
        if (!DOCUMENT_ID.matcher(id).matches()) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    idField + " must be 1..100 of [A-Za-z0-9._:-], was '" + id + "'");
        }
        long revision = p.integer("revision");
        if (revision < 0) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, "revision must be >= 0, was " + revision);
        }
        Instant issuedAt = DeviceTimestamps.fromIso(p.text("issuedAt"), "issuedAt");
        String sscc = Sscc.parse(p.text("sscc"), "sscc");
        String productClass = p.text("productClass").toLowerCase(Locale.ROOT);
        if (!PRODUCT_CLASS_NAME.matcher(productClass).matches()) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    "productClass must match " + PRODUCT_CLASS_NAME.pattern() + " (lower-cased), was '" + productClass + "'");
        }
        return new PlanRevision(id, revision, issuedAt, sscc, productClass);
    }

    /** The event's message id: {@code <documentId>-r<revision>}. */
    String messageId() {
        return documentId + "-r" + revision;
    }
}
