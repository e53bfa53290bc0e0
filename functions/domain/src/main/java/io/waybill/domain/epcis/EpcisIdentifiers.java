package io.waybill.domain.epcis;

import io.waybill.domain.identity.Epc;
import io.waybill.domain.identity.Gln;
import io.waybill.domain.identity.Gtin;
import io.waybill.domain.identity.Sscc;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GS1 keys as a partner's EPCIS 2.0 event carries them, read into Waybill's canonical forms, in every form EPCIS
 * allows: GS1 Digital Link URIs on any domain ({@code https://id.gs1.org/00/<sscc>}, {@code /414/<gln>[/254/<ext>]},
 * {@code /417/<gln>}, {@code /01/<gtin>[/21/<serial>]}) and EPC URNs ({@code urn:epc:id:sscc:}, {@code sgln},
 * {@code pgln}, {@code sgtin}, {@code urn:epc:idpat:sgtin:...*}). Every key is checked by the identity classes
 * (length, digits, check digit); a bad one is {@link RejectionReason#INVALID_IDENTITY} naming the field.
 *
 * <p>A location's sub-location (SGLN extension, Digital Link {@code /254/}) is dropped: canonical events hold GLNs.
 * An SGTIN as a Digital Link cannot become the EPC URN {@code inventory.observed} holds (the link does not say how
 * long the GS1 Company Prefix is), so {@link #epcUrn} refuses it with that reason.
 */
final class EpcisIdentifiers {
    private static final Pattern DIGITAL_LINK = Pattern.compile("https?://[^/]+(?:/[^/]+)*?/(00|414|417|01)/([^/?#]+)"
            + "(?:/(254|21|10)/([^/?#]+))?/?(?:[?#].*)?");

    private EpcisIdentifiers() {
    }

    /** The 18-digit SSCC of an SSCC EPC URN or Digital Link, or null when {@code id} is another kind of EPC. */
    static String ssccOrNull(String id, String field) {
        if (id.regionMatches(true, 0, Sscc.URN_PREFIX, 0, Sscc.URN_PREFIX.length())) {
            return Sscc.parse(id, field);
        }
        Matcher m = DIGITAL_LINK.matcher(id);
        if (m.matches() && m.group(1).equals("00")) {
            return Sscc.parse(m.group(2), field);
        }
        return null;
    }

    /** A location id ({@code readPoint.id}, {@code bizLocation.id}) as its 13-digit GLN. */
    static String locationGln(String id, String field) {
        if (id.regionMatches(true, 0, Gln.URN_PREFIX, 0, Gln.URN_PREFIX.length())) {
            return Gln.parse(withoutExtension(id), field);
        }
        return digitalLinkGln(id, "414", field);
    }

    /** A party id (source/destination of a party type) as its 13-digit GLN: PGLN URN, SGLN URN or /417/ or /414/. */
    static String partyGln(String id, String field) {
        String pgln = "urn:epc:id:pgln:";
        if (id.regionMatches(true, 0, pgln, 0, pgln.length())) {
            return Gln.parse(Gln.URN_PREFIX + id.substring(pgln.length()) + ".0", field);
        }
        if (id.regionMatches(true, 0, Gln.URN_PREFIX, 0, Gln.URN_PREFIX.length())) {
            return Gln.parse(withoutExtension(id), field);
        }
        Matcher m = DIGITAL_LINK.matcher(id);
        if (m.matches() && (m.group(1).equals("417") || m.group(1).equals("414"))) {
            return Gln.parse(m.group(2), field);
        }
        throw invalid(field, id, "is not a party: expected urn:epc:id:pgln:..., urn:epc:id:sgln:... or a GS1 Digital "
                + "Link with /417/<gln>");
    }

    /** An item or logistic unit EPC as the pure identity URN canonical events hold (SGTIN or SSCC URN). */
    static String epcUrn(String id, String field) {
        if (id.regionMatches(true, 0, Epc.ID_PREFIX, 0, Epc.ID_PREFIX.length())) {
            return Epc.parse(id, field);
        }
        Matcher m = DIGITAL_LINK.matcher(id);
        if (m.matches()) {
            if (m.group(1).equals("00")) {
                Sscc.parse(m.group(2), field);
            } else if (m.group(1).equals("01")) {
                Gtin.parse(m.group(2), field);
            }
            throw invalid(field, id, "is a GS1 Digital Link; an inventory read keeps EPC URNs (urn:epc:id:sgtin:..., "
                    + "urn:epc:id:sscc:...) and the link does not say how long the GS1 Company Prefix is, so it "
                    + "cannot be written as one");
        }
        return Epc.parse(id, field);
    }

    /** The GTIN-14 of an SGTIN EPC (URN or Digital Link /01/.../21/...). */
    static String gtinOfItem(String id, String field) {
        if (id.regionMatches(true, 0, Epc.SGTIN_PREFIX, 0, Epc.SGTIN_PREFIX.length())) {
            return Epc.sgtinToGtin(id, field);
        }
        Matcher m = DIGITAL_LINK.matcher(id);
        if (m.matches() && m.group(1).equals("01")) {
            return Gtin.parse(m.group(2), field);
        }
        throw invalid(field, id, "is not an SGTIN (urn:epc:id:sgtin:... or a Digital Link /01/<gtin>/21/<serial>)");
    }

    /**
     * The GTIN-14 of an EPC class ({@code quantityList[].epcClass}): a Digital Link {@code /01/<gtin>}, an
     * {@code urn:epc:idpat:sgtin:<companyPrefix>.<itemRef>.*} pattern or an {@code urn:epc:class:lgtin:} lot class.
     */
    static String gtinOfClass(String id, String field) {
        String idpat = "urn:epc:idpat:sgtin:";
        String lgtin = "urn:epc:class:lgtin:";
        String lower = id.toLowerCase(Locale.ROOT);
        if (lower.startsWith(idpat) || lower.startsWith(lgtin)) {
            String body = id.substring(id.lastIndexOf(':') + 1);
            String[] fields = body.split("\\.", -1);
            if (fields.length != 3) {
                throw invalid(field, id, "expected <companyPrefix>.<itemReference>.<serial or lot or *>");
            }
            return Epc.sgtinToGtin(Epc.SGTIN_PREFIX + fields[0] + "." + fields[1] + ".1", field);
        }
        Matcher m = DIGITAL_LINK.matcher(id);
        if (m.matches() && m.group(1).equals("01")) {
            return Gtin.parse(m.group(2), field);
        }
        throw invalid(field, id, "is not a product class (Digital Link /01/<gtin>, urn:epc:idpat:sgtin:...,"
                + " urn:epc:class:lgtin:...)");
    }

    private static String digitalLinkGln(String id, String ai, String field) {
        Matcher m = DIGITAL_LINK.matcher(id);
        if (m.matches() && m.group(1).equals(ai)) {
            return Gln.parse(m.group(2), field);
        }
        throw invalid(field, id, "is not a location: expected urn:epc:id:sgln:... or a GS1 Digital Link with /" + ai
                + "/<gln>");
    }

    private static String withoutExtension(String sgln) {
        int last = sgln.lastIndexOf('.');
        int first = sgln.indexOf('.');
        return last > first && first > 0 ? sgln.substring(0, last) + ".0" : sgln;
    }

    static RejectedRecordException invalid(String field, String value, String problem) {
        return new RejectedRecordException(RejectionReason.INVALID_IDENTITY, field + " '" + value + "' " + problem);
    }
}
