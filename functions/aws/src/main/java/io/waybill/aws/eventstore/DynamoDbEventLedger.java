package io.waybill.aws.eventstore;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RecordOrigin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Instant;

/**
 * The event store on DynamoDB: one conditional PutItem per event ({@code attribute_not_exists(eventKey)}), so a
 * redelivered or resent event costs one rejected write and has no second effect. No transactions (dynalite has
 * none) and no TTL (the dedupe marker is permanent).
 */
public final class DynamoDbEventLedger implements EventLedger {
    static final TableSchema<EventItem> SCHEMA = TableSchema.fromBean(EventItem.class);
    private static final Expression NOT_STORED_YET = Expression.builder()
            .expression("attribute_not_exists(eventKey)").build();

    private final DynamoDbTable<EventItem> table;
    private final Clock clock;

    public DynamoDbEventLedger(DynamoDbEnhancedClient client, String tableName, Clock clock) {
        this.table = client.table(tableName, SCHEMA);
        this.clock = clock;
    }

    @Override
    public Append append(NormalizationResult.Normalized normalized, Instant handlerStartedAt) {
        EventItem item = toItem(normalized, handlerStartedAt);
        try {
            item.setStoredAtMs(clock.millis());
            table.putItem(PutItemEnhancedRequest.builder(EventItem.class).item(item)
                    .conditionExpression(NOT_STORED_YET).build());
            return Append.APPENDED;
        } catch (ConditionalCheckFailedException e) {
            return Append.ALREADY_PRESENT;
        } catch (SdkException e) {
            throw new TransientDependencyException("event store " + table.tableName(), e.getMessage(), e);
        }
    }

    static EventItem toItem(NormalizationResult.Normalized n, Instant handlerStartedAt) {
        CanonicalEvent e = n.event();
        RecordOrigin origin = n.raw().origin();
        EventItem item = new EventItem();
        item.setEventKey(e.eventKey());
        item.setEventId(e.id());
        item.setSource(e.source());
        item.setType(e.type());
        item.setSubject(e.subject());
        item.setTime(io.waybill.domain.time.SortableTime.format(e.time())); // sort key of bySubject
        item.setAdapter(e.adapter());
        item.setEventJson(n.json());
        item.setShardId(origin.shardId());
        item.setSequenceNumber(origin.sequenceNumber());
        item.setPartitionKey(origin.partitionKey());
        item.setDeviceTimeMs(millis(e.devicetime()));
        item.setEdgeTimeMs(millis(e.edgetime()));
        item.setBrokerTimeMs(millis(e.brokertime()));
        item.setStreamArrivalMs(millis(e.streamtime()));
        item.setHandlerStartMs(millis(handlerStartedAt));
        return item;
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
