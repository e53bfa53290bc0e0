package io.waybill.aws.coldchain;

import io.waybill.domain.coldchain.ComplianceRecord;
import io.waybill.domain.decision.ComplianceStore;
import io.waybill.domain.ingestion.TransientDependencyException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Compliance records on DynamoDB: conditional put, never overwritten (append-only by construction). */
public final class DynamoDbComplianceStore implements ComplianceStore {
    static final TableSchema<ComplianceItem> SCHEMA = TableSchema.fromBean(ComplianceItem.class);
    private static final Expression NOT_RECORDED_YET = Expression.builder()
            .expression("attribute_not_exists(recordId)").build();

    private final DynamoDbTable<ComplianceItem> table;

    public DynamoDbComplianceStore(DynamoDbEnhancedClient client, String tableName) {
        this.table = client.table(tableName, SCHEMA);
    }

    @Override
    public boolean append(ComplianceRecord r) {
        ComplianceItem i = new ComplianceItem();
        i.setShipmentSscc(r.shipmentSscc());
        i.setRecordId(r.recordId());
        i.setIncidentId(r.incidentId());
        i.setDecisionEventId(r.decisionEventId());
        i.setDecidedAt(r.decidedAt().toString());
        i.setProductClass(r.productClass());
        i.setSeverity(r.severity());
        i.setEventJson(r.eventJson());
        i.setSha256(r.sha256());
        try {
            table.putItem(PutItemEnhancedRequest.builder(ComplianceItem.class).item(i)
                    .conditionExpression(NOT_RECORDED_YET).build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new TransientDependencyException("compliance records " + table.tableName(), e.getMessage(), e);
        }
    }

    @Override
    public List<ComplianceRecord> forShipment(String shipmentSscc) {
        List<ComplianceRecord> out = new ArrayList<>();
        table.query(QueryConditional.keyEqualTo(Key.builder().partitionValue(shipmentSscc).build())).items()
                .forEach(i -> out.add(new ComplianceRecord(i.getShipmentSscc(), i.getRecordId(), i.getIncidentId(),
                        i.getDecisionEventId(), Instant.parse(i.getDecidedAt()), i.getProductClass(), i.getSeverity(),
                        i.getEventJson(), i.getSha256())));
        return out;
    }
}
