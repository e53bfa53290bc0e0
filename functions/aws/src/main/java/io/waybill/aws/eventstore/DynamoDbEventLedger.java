package io.waybill.aws.eventstore;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.StoredEventLookup;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RecordOrigin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The event store on DynamoDB: one conditional PutItem per event ({@code attribute_not_exists(eventKey)}) with
 * {@code ReturnValuesOnConditionCheckFailure=ALL_OLD}, so a redelivered or resent event costs one rejected write, no
 * extra read, and comes back with the stored item: its content hash tells a duplicate from an id conflict. No
 * transactions (dynalite has none) and no TTL (the dedupe marker is permanent).
 *
 * <p>dynalite (the local emulator) ignores {@code ReturnValuesOnConditionCheckFailure} and returns no item with the
 * condition failure; then the stored item is read with one consistent GetItem (a read, so the write count is the
 * same). Both paths are tested: {@code EventLedgerConflictTest} in local-runtime.
 *
 * <p>{@link #storedJson(String)} (the legacy-id window's lookup of a scheme-1 key) is one GetItem with
 * {@code ConsistentRead=true} on the same key: a read, never a write. A key longer than DynamoDB's
 * {@value #MAX_PARTITION_KEY_BYTES}-byte partition key limit was never storable, so it is answered empty without a
 * request (AWS would refuse it with a ValidationException).
 */
public final class DynamoDbEventLedger implements EventLedger, StoredEventLookup {
    /** DynamoDB's partition key limit, in UTF-8 bytes. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;
    static final TableSchema<EventItem> SCHEMA = TableSchema.fromBean(EventItem.class);
    private static final Expression NOT_STORED_YET = Expression.builder()
            .expression("attribute_not_exists(eventKey)").build();

    private final DynamoDbTable<EventItem> table;
    private final Clock clock;
    private final String dependency;

    public DynamoDbEventLedger(DynamoDbEnhancedClient client, String tableName, Clock clock) {
        this.table = client.table(tableName, SCHEMA);
        this.clock = clock;
        this.dependency = "event store " + tableName;
    }

    @Override
    public Append append(NormalizationResult.Normalized normalized, Instant handlerStartedAt) {
        EventItem item = toItem(normalized, handlerStartedAt);
        try {
            item.setStoredAtMs(clock.millis());
            table.putItem(PutItemEnhancedRequest.builder(EventItem.class).item(item)
                    .conditionExpression(NOT_STORED_YET)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
            return Append.APPENDED;
        } catch (ConditionalCheckFailedException e) {
            EventItem stored = e.hasItem() && !e.item().isEmpty() ? SCHEMA.mapToItem(e.item()) : readStored(item);
            return Append.existing(stored.getEventJson(), stored.getContentHash(), item.getContentHash());
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
    }

    @Override
    public Optional<String> storedJson(String eventKey) {
        if (eventKey.getBytes(StandardCharsets.UTF_8).length > MAX_PARTITION_KEY_BYTES) {
            return Optional.empty();
        }
        try {
            EventItem stored = table.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(eventKey).build()).consistentRead(true).build());
            return Optional.ofNullable(stored).map(EventItem::getEventJson);
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
    }

    private EventItem readStored(EventItem item) {
        try {
            EventItem stored = table.getItem(GetItemEnhancedRequest.builder()
                    .key(Key.builder().partitionValue(item.getEventKey()).build()).consistentRead(true).build());
            if (stored == null) {
                throw new TransientDependencyException(dependency, "condition failed on " + item.getEventKey()
                        + " but no item is stored", null);
            }
            return stored;
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
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
        item.setContentHash(e.contenthash());
        item.setIdScheme(e.idscheme() > 0 ? e.idscheme() : null);
        return item;
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }
}
