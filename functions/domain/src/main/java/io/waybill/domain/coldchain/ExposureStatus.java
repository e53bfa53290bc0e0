package io.waybill.domain.coldchain;

/** A shipment's cold-chain standing after the latest decision. */
public enum ExposureStatus {
    /** Within the policy, and no edge alert worth attention. */
    NORMAL,
    /** Within the policy, but the edge raised an alert scored at or above the attention threshold. */
    ATTENTION,
    /** The policy's verdict is a breach: quality hold, incident, compliance record. */
    BREACHED
}
