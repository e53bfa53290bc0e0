package io.waybill.aws.devices;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;

/**
 * One item of the device registry table (keys {@code pk}, {@code sk}); three kinds share the table:
 * <ul>
 *   <li>profile: {@code device#<thing>} / {@code profile}: thing, adapter, status, scope, keys (key id to base64
 *       SubjectPublicKeyInfo DER), registeredAt, revokedAt, certificateId;</li>
 *   <li>assignment: {@code device#<thing>} / {@code assign#<sscc>#<from>}: sscc, from, until (absent: open);</li>
 *   <li>sequence: {@code seq#<thing>} / {@code <key id>}: lastSeq, the highest signed sequence ingest accepted. Only
 *       ingest writes these, and IAM lets it write nothing else ({@code dynamodb:LeadingKeys} {@code seq#*});</li>
 *   <li>last seen: {@code seq#<thing>} / {@code seen}: lastSeenAt ({@link io.waybill.domain.time.SortableTime}, so
 *       that text order is time order), the latest stream arrival of the device's stored records; written by ingest
 *       once per batch, newer wins.</li>
 * </ul>
 * Instants are ISO-8601 UTC strings.
 */
@DynamoDbBean
public class DeviceRegistryItem {
    private String pk;
    private String sk;
    private String thing;
    private String adapter;
    private String status;
    private String scope;
    private java.util.Map<String, String> keys;
    private String registeredAt;
    private String revokedAt;
    private String certificateId;
    private String sscc;
    private String from;
    private String until;
    private Long lastSeq;
    private String lastSeenAt;

    @DynamoDbPartitionKey
    public String getPk() {
        return pk;
    }

    public void setPk(String pk) {
        this.pk = pk;
    }

    @DynamoDbSortKey
    public String getSk() {
        return sk;
    }

    public void setSk(String sk) {
        this.sk = sk;
    }

    public String getThing() {
        return thing;
    }

    public void setThing(String thing) {
        this.thing = thing;
    }

    public String getAdapter() {
        return adapter;
    }

    public void setAdapter(String adapter) {
        this.adapter = adapter;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public java.util.Map<String, String> getKeys() {
        return keys;
    }

    public void setKeys(java.util.Map<String, String> keys) {
        this.keys = keys;
    }

    public String getRegisteredAt() {
        return registeredAt;
    }

    public void setRegisteredAt(String registeredAt) {
        this.registeredAt = registeredAt;
    }

    public String getRevokedAt() {
        return revokedAt;
    }

    public void setRevokedAt(String revokedAt) {
        this.revokedAt = revokedAt;
    }

    public String getCertificateId() {
        return certificateId;
    }

    public void setCertificateId(String certificateId) {
        this.certificateId = certificateId;
    }

    public String getSscc() {
        return sscc;
    }

    public void setSscc(String sscc) {
        this.sscc = sscc;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getUntil() {
        return until;
    }

    public void setUntil(String until) {
        this.until = until;
    }

    public Long getLastSeq() {
        return lastSeq;
    }

    public void setLastSeq(Long lastSeq) {
        this.lastSeq = lastSeq;
    }

    public String getLastSeenAt() {
        return lastSeenAt;
    }

    public void setLastSeenAt(String lastSeenAt) {
        this.lastSeenAt = lastSeenAt;
    }
}
