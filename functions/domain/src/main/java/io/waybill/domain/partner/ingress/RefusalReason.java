package io.waybill.domain.partner.ingress;

/** Why a partner event was refused (dead-lettered, never dropped): each one is fixed in master data or by the sender. */
public enum RefusalReason {
    /** The envelope has no id, source, account or detail-type, or the detail is not a JSON object. */
    MALFORMED_EVENT,
    /** No partner is registered for the event's (account, source) pair. */
    UNKNOWN_SENDER,
    /** More than one partner is registered for the pair: master data must name one. */
    AMBIGUOUS_SENDER,
    /** The partner is known but not registered for this detail-type. */
    DETAIL_TYPE_NOT_REGISTERED,
    /** The partner's registered adapter is not a partner adapter (a device adapter, or one Waybill does not ship). */
    ADAPTER_NOT_PARTNER,
    /** The detail carries a {@code wb_*} field: routing is Waybill's, never the sender's. */
    ROUTING_FIELD_IN_DETAIL
}
