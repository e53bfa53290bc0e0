package io.waybill.aws.partner;

/**
 * The partner table (one table, key {@code pk} (S) + {@code sk} (S), no index):
 * <pre>
 * pk                  sk                          attributes
 * PARTNER             &lt;partnerId&gt;                 egress: eventTypes (SS, canonical types), glns (SS), ssccs (SS, optional)
 *                                                 ingress (optional, all four or none): ingressAccounts (SS, 12-digit
 *                                                 AWS accounts), ingressSources (SS, EventBridge sources),
 *                                                 ingressAdapter (S, e.g. swiftlog, asn), ingressDetailTypes (SS)
 * SHIPMENT#&lt;sscc&gt;     PARTY#&lt;gln&gt;                 (none): a GLN a plan or a hand-over named
 * SHIPMENT#&lt;sscc&gt;     EVENT#&lt;eventId&gt;             event (S): the canonical event JSON, kept for partners;
 *                                                 expiresAt (N)
 * SHIPMENT#&lt;sscc&gt;     SETTLED#&lt;partnerId&gt;#&lt;id&gt;   expiresAt (N): delivered or dead-lettered to that partner
 * </pre>
 * The partner rows are master data (written by operations, read by egress); the shipment rows are the egress
 * projection, read with one query on {@code pk}. IAM for egress: {@code dynamodb:Query}, {@code dynamodb:PutItem}; for
 * ingress ({@link DynamoDbSenderDirectory}): {@code dynamodb:Query} only.
 * Held events and settled markers carry {@value #EXPIRES_AT} (epoch seconds; the table's TTL attribute), so the
 * projection does not grow forever; party rows do not expire (a late event must still find its parties).
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
    public static final String INGRESS_ACCOUNTS = "ingressAccounts";
    public static final String INGRESS_SOURCES = "ingressSources";
    public static final String INGRESS_ADAPTER = "ingressAdapter";
    public static final String INGRESS_DETAIL_TYPES = "ingressDetailTypes";
    /** The TTL attribute (epoch seconds) of kept events and settled markers. */
    public static final String EXPIRES_AT = "expiresAt";

    /** The table's definition (pay per request); its TTL attribute is {@value #EXPIRES_AT}. */
    public static software.amazon.awssdk.services.dynamodb.model.CreateTableRequest table(String name) {
        return software.amazon.awssdk.services.dynamodb.model.CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(attribute(PK), attribute(SK))
                .keySchema(software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder().attributeName(PK)
                                .keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH).build(),
                        software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder().attributeName(SK)
                                .keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.RANGE).build())
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST).build();
    }

    private static software.amazon.awssdk.services.dynamodb.model.AttributeDefinition attribute(String name) {
        return software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder().attributeName(name)
                .attributeType(software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S).build();
    }

    private PartnerTables() {
    }
}
