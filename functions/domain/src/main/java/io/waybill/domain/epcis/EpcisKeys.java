package io.waybill.domain.epcis;

import io.waybill.domain.identity.Epc;
import io.waybill.domain.identity.Gs1;

/**
 * GS1 keys as the identifiers EPCIS 2.0 carries. Waybill's canonical events hold GLNs, SSCCs and GTINs as plain
 * digits, and the length of the GS1 Company Prefix inside them is not known (it is not recorded anywhere in a
 * canonical event), so the pure identity URN ({@code urn:epc:id:sgln:<companyPrefix>.<locationRef>.0}) cannot be
 * written without guessing. EPCIS 2.0 accepts GS1 Digital Link URIs for every identifier, and they need no company
 * prefix length: Waybill exports {@code https://id.gs1.org/414/<gln>} (location), {@code /00/<sscc>},
 * {@code /01/<gtin>/21/<serial>} (an SGTIN), {@code /01/<gtin>} (a class) and {@code /417/<gln>} (a party).
 * EPC URNs the canonical events carry already (SGTINs read by a portal) are exported as they are.
 */
public final class EpcisKeys {
    /** GS1's resolver, the canonical Digital Link domain of the CBV 2.0 event hash. */
    public static final String DIGITAL_LINK = "https://id.gs1.org/";

    private EpcisKeys() {
    }

    /** A location's GLN (13 digits) as an EPCIS {@code readPoint}/{@code bizLocation} id. */
    public static String location(String gln) {
        return DIGITAL_LINK + "414/" + gln;
    }

    /**
     * A party's GLN (13 digits) as an EPCIS source/destination of type {@code owning_party} or
     * {@code possessing_party}.
     */
    public static String party(String gln) {
        return DIGITAL_LINK + "417/" + gln;
    }

    /** An SSCC (18 digits) as an EPC. */
    public static String sscc(String sscc) {
        return DIGITAL_LINK + "00/" + sscc;
    }

    /** A GTIN-14 as an EPC class ({@code quantityList}). */
    public static String productClass(String gtin) {
        return DIGITAL_LINK + "01/" + gtin;
    }

    /**
     * The canonical form the CBV 2.0 event hash uses: an SGTIN, SSCC or SGLN pure identity URN becomes its GS1
     * Digital Link URI on {@code id.gs1.org} (an SGLN extension other than {@code 0} as {@code /254/<ext>}); anything
     * else is returned unchanged.
     */
    public static String canonical(String id) {
        if (id.startsWith(Epc.SGTIN_PREFIX)) {
            String[] parts = id.substring(Epc.SGTIN_PREFIX.length()).split("\\.", 3);
            return DIGITAL_LINK + "01/" + Epc.sgtinToGtin(id) + "/21/" + parts[2];
        }
        if (id.startsWith(Epc.SSCC_PREFIX)) {
            return sscc(Epc.ssccOf(id));
        }
        if (id.startsWith("urn:epc:id:sgln:")) {
            String[] parts = id.substring("urn:epc:id:sgln:".length()).split("\\.", 3);
            String withoutCheck = parts[0] + parts[1];
            String gln = withoutCheck + Gs1.checkDigit(withoutCheck);
            return location(gln) + (parts.length == 3 && !parts[2].equals("0") ? "/254/" + parts[2] : "");
        }
        return id;
    }
}
