package io.waybill.opsapi.aws;

import io.waybill.aws.deadletter.DynamoDbDeadLetterDesk;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.opsapi.DeadLetterReadModel;
import io.waybill.opsapi.Page;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The dead-letter desk's table as a list. With a reason: a Query of GSI
 * {@value DynamoDbDeadLetterDesk#BY_REASON_INDEX} (reason, deadLetteredAt), oldest first (eventually consistent: a
 * letter replayed a moment ago may still list as PENDING). Without: a paginated Scan. Adapter and status are filtered
 * while reading ({@link KeyPager}); the payload is left out of every listed entry (read one letter for it).
 */
public final class DynamoDbDeadLetterReadModel implements DeadLetterReadModel {
    private static final byte[] NO_PAYLOAD = new byte[0];

    private final DynamoDbClient dynamo;
    private final String tableName;

    public DynamoDbDeadLetterReadModel(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Page<DeadLetterDesk.Entry> list(Filter filter, String pageToken, int limit) {
        String fingerprint = "dead-letters|" + filter.reason() + "|" + filter.adapter() + "|" + filter.status();
        java.util.function.Predicate<DeadLetterDesk.Entry> keep = e ->
                (filter.adapter() == null || filter.adapter().equals(e.letter().adapter()))
                        && (filter.status() == null || filter.status() == e.status());
        try {
            if (filter.reason() != null) {
                return KeyPager.page((start, n) -> {
                            QueryResponse r = dynamo.query(b -> b.tableName(tableName)
                                    .indexName(DynamoDbDeadLetterDesk.BY_REASON_INDEX)
                                    .keyConditionExpression("#r = :r")
                                    .expressionAttributeNames(Map.of("#r", DynamoDbDeadLetterDesk.REASON))
                                    .expressionAttributeValues(Map.of(":r",
                                            AttributeValue.builder().s(filter.reason().name()).build()))
                                    .scanIndexForward(true).limit(n).exclusiveStartKey(start));
                            return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                        }, item -> DynamoDbDeadLetterDesk.entry(item, NO_PAYLOAD), keep,
                        Set.of(DynamoDbDeadLetterDesk.ID, DynamoDbDeadLetterDesk.REASON,
                                DynamoDbDeadLetterDesk.DEAD_LETTERED_AT), fingerprint, pageToken, limit);
            }
            return KeyPager.page((start, n) -> {
                        ScanResponse r = dynamo.scan(b -> b.tableName(tableName).limit(n).exclusiveStartKey(start));
                        return new KeyPager.Round(r.items(), r.hasLastEvaluatedKey() ? r.lastEvaluatedKey() : null);
                    }, item -> DynamoDbDeadLetterDesk.entry(item, NO_PAYLOAD), keep,
                    Set.of(DynamoDbDeadLetterDesk.ID), fingerprint, pageToken, limit);
        } catch (SdkException e) {
            throw new TransientDependencyException("dead-letter desk " + tableName, e.getMessage(), e);
        }
    }
}
