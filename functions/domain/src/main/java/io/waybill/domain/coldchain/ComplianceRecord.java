package io.waybill.domain.coldchain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An append-only compliance record of a cold-chain decision: the decision event exactly as stored, with its
 * SHA-256, so the provenance capability can anchor the hash (never the record) on a ledger and anyone can later
 * prove the record was not altered.
 *
 * @param shipmentSscc    the shipment
 * @param recordId        deterministic: {@code decision/<decisionEventId>}, so a retried decision appends nothing new
 * @param incidentId      the incident the decision opened
 * @param decisionEventId the canonical {@code TemperatureBreached} event's id
 * @param decidedAt       processing time of the decision
 * @param productClass    the product class applied
 * @param severity        the verdict's severity
 * @param eventJson       the decision event's canonical JSON, byte for byte as stored in the event store
 * @param sha256          lowercase hex SHA-256 of {@code eventJson}'s UTF-8 bytes
 */
public record ComplianceRecord(String shipmentSscc, String recordId, String incidentId, String decisionEventId,
                               Instant decidedAt, String productClass, String severity, String eventJson,
                               String sha256) {
    public ComplianceRecord {
        Objects.requireNonNull(shipmentSscc, "shipmentSscc");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(decisionEventId, "decisionEventId");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(eventJson, "eventJson");
        Objects.requireNonNull(sha256, "sha256");
        if (!sha256.equals(sha256(eventJson))) {
            throw new IllegalArgumentException("sha256 does not match the event JSON of record " + recordId);
        }
    }

    /** The record of a decision event. */
    public static ComplianceRecord of(String shipmentSscc, String incidentId, String decisionEventId, Instant decidedAt,
                                      String productClass, String severity, String eventJson) {
        return new ComplianceRecord(shipmentSscc, "decision/" + decisionEventId, incidentId, decisionEventId,
                decidedAt, productClass, severity, eventJson, sha256(eventJson));
    }

    /** Lowercase hex SHA-256 of the text's UTF-8 bytes. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
