package io.waybill.aws.partner;

/**
 * The partner egress table (one table, key {@code pk} (S) + {@code sk} (S), no index):
 * <pre>
 * pk                  sk                          attributes
 * PARTNER             &lt;partnerId&gt;                 eventTypes (SS, canonical types), glns (SS), ssccs (SS, optional)
 * SHIPMENT#&lt;sscc&gt;     PARTY#&lt;gln&gt;                 (none): a GLN a plan or a hand-over named
 * SHIPMENT#&lt;sscc&gt;     EVENT#&lt;eventId&gt;             event (S): the canonical event JSON, kept for partners
 * SHIPMENT#&lt;sscc&gt;     SETTLED#&lt;partnerId&gt;#&lt;id&gt;   (none): delivered or dead-lettered to that partner
 * </pre>
 * The partner rows are master data (written by operations, read by egress); the shipment rows are the egress
 * projection, read with one query on {@code pk}. IAM for egress: {@code dynamodb:Query}, {@code dynamodb:PutItem}.
 */
public final class PartnerTables {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String PARTNER_PK = "PARTNER";
    public static final String SHIPMENT = "SHIPMENT#";
    public static final String PARTY = "PARTY#";
    public static final String EVENT = "EVENT#";
    public static final String SETTLED = "SETTLED#";
    public static final String EVENT_TYPES = "eventTypes";
    public static final String GLNS = "glns";
    public static final String SSCCS = "ssccs";
    public static final String EVENT_JSON = "event";

    private PartnerTables() {
    }
}
