package io.waybill.aws.deadletter;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.ingestion.DeadLetterIds;
import io.waybill.domain.ingestion.PermanentDependencyException;
import io.waybill.domain.ingestion.ReplayVerdict;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.time.SortableTime;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dead-letter desk in a DynamoDB table ({@code dead-letters}): one item per letter, key {@value #ID} =
 * {@link DeadLetterIds#of}, written with {@code attribute_not_exists(id)} so a retried send leaves the first item.
 *
 * <p>Attributes: {@value #REASON}, {@value #ADAPTER}, {@value #DETAIL}, {@value #ORIGIN} (map of stream, shardId,
 * sequenceNumber, partitionKey), {@value #ARRIVED_AT}, {@value #DEAD_LETTERED_AT} ({@link SortableTime}),
 * {@value #PAYLOAD_BYTES}, the payload inline ({@value #PAYLOAD}, binary) up to {@code inlineLimitBytes} or else the
 * claim check's pointer ({@value #CLAIM_CHECK}: bucket, key, bytes, sha256; the object written by
 * {@link S3ClaimCheckStore}, the same key the queue's pointer names), an id conflict's two versions
 * ({@value #CONFLICT}), {@value #STATUS} (PENDING, REPLAYED, KEPT), {@value #REPLAYED_AT}, {@value #REPLAYED_BY},
 * and while a replay re-drives it its claim ({@value #CLAIMED_UNTIL}, {@value #CLAIMED_BY}).
 * GSI {@value #BY_REASON_INDEX} ({@value #REASON}, {@value #DEAD_LETTERED_AT}) lists a reason's letters by time.
 */
public final class DynamoDbDeadLetterDesk implements DeadLetterDesk {
    public static final String ID = "id";
    public static final String REASON = "reason";
    public static final String ADAPTER = "adapter";
    public static final String DETAIL = "detail";
    public static final String ORIGIN = "origin";
    public static final String ARRIVED_AT = "arrivedAt";
    public static final String DEAD_LETTERED_AT = "deadLetteredAt";
    public static final String PAYLOAD = "payload";
    public static final String PAYLOAD_BYTES = "payloadBytes";
    public static final String CLAIM_CHECK = "claimCheck";
    public static final String CONFLICT = "conflict";
    public static final String STATUS = "status";
    public static final String REPLAYED_AT = "replayedAt";
    public static final String REPLAYED_BY = "replayedBy";
    /** A re-drive's claim: until when, and whose (a token per replay call). */
    public static final String CLAIMED_UNTIL = "claimedUntil";
    public static final String CLAIMED_BY = "claimedBy";
    /** GSI: reason (partition), deadLetteredAt (sort). */
    public static final String BY_REASON_INDEX = "byReason";
    /**
     * Largest payload kept inline: DynamoDB items hold at most 400 KB, and detail, origin and an id conflict's two
     * events share that; larger payloads go to the claim-check bucket.
     */
    public static final int DEFAULT_INLINE_LIMIT_BYTES = 256 * 1024;

    private final DynamoDbClient dynamo;
    private final String table;
    private final S3ClaimCheckStore claimChecks;
    private final int inlineLimitBytes;
    private final String dependency;

    /** @param claimChecks where payloads over {@code inlineLimitBytes} go; null: such letters are refused */
    public DynamoDbDeadLetterDesk(DynamoDbClient dynamo, String table, S3ClaimCheckStore claimChecks,
                                  int inlineLimitBytes) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.claimChecks = claimChecks;
        this.inlineLimitBytes = inlineLimitBytes;
        this.dependency = "dead-letter desk " + table;
    }

    @Override
    public String record(DeadLetter letter) {
        String id = DeadLetterIds.of(letter);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(id));
        item.put(REASON, s(letter.reason().name()));
        if (letter.adapter() != null) {
            item.put(ADAPTER, s(letter.adapter()));
        }
        item.put(DETAIL, s(letter.detail() == null ? "" : letter.detail()));
        Map<String, AttributeValue> origin = new HashMap<>();
        RecordOrigin o = letter.origin();
        if (o != null) {
            putIfPresent(origin, "stream", o.stream());
            putIfPresent(origin, "shardId", o.shardId());
            putIfPresent(origin, "sequenceNumber", o.sequenceNumber());
            putIfPresent(origin, "partitionKey", o.partitionKey());
        }
        item.put(ORIGIN, AttributeValue.builder().m(origin).build());
        if (letter.arrivedAt() != null) {
            item.put(ARRIVED_AT, s(SortableTime.format(letter.arrivedAt())));
        }
        item.put(DEAD_LETTERED_AT, s(SortableTime.format(letter.deadLetteredAt())));
        item.put(PAYLOAD_BYTES, AttributeValue.builder().n(Integer.toString(letter.payload().length)).build());
        if (letter.conflict() != null) {
            item.put(CONFLICT, AttributeValue.builder().m(Map.of(
                    "storedEvent", s(letter.conflict().storedEventJson()),
                    "event", s(letter.conflict().eventJson()))).build());
        }
        item.put(STATUS, s((ReplayVerdict.keptUnlessNamed(letter.reason()) ? Status.KEPT : Status.PENDING).name()));
        if (letter.payload().length <= inlineLimitBytes) {
            item.put(PAYLOAD, AttributeValue.builder().b(SdkBytes.fromByteArray(letter.payload())).build());
        } else if (claimChecks == null) {
            throw new PermanentDependencyException(dependency, "PayloadTooLarge", "a " + letter.reason()
                    + " letter's payload of " + letter.payload().length + " bytes is over the desk's inline limit of "
                    + inlineLimitBytes + " and no claim-check bucket is configured", null);
        } else {
            ClaimCheck c = claimChecks.put(letter);
            item.put(CLAIM_CHECK, AttributeValue.builder().m(Map.of("bucket", s(c.bucket()), "key", s(c.key()),
                    "bytes", AttributeValue.builder().n(Long.toString(c.bytes())).build(),
                    "sha256", s(c.sha256()))).build());
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID)));
        } catch (ConditionalCheckFailedException e) {
            // recorded before (a retried batch): the first entry stands, its status included
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
        return id;
    }

    @Override
    public Optional<Entry> find(String id) {
        GetItemResponse r;
        try {
            r = dynamo.getItem(b -> b.tableName(table).key(Map.of(ID, s(id))).consistentRead(true));
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = r.item();
        byte[] payload;
        if (item.containsKey(PAYLOAD)) {
            payload = item.get(PAYLOAD).b().asByteArray();
        } else if (item.containsKey(CLAIM_CHECK) && claimChecks != null) {
            Map<String, AttributeValue> c = item.get(CLAIM_CHECK).m();
            payload = claimChecks.fetch(new ClaimCheck(c.get("bucket").s(), c.get("key").s(),
                    Long.parseLong(c.get("bytes").n()), c.get("sha256").s()));
        } else {
            throw new IllegalStateException("dead letter " + id + " is claim-checked and no claim-check bucket is"
                    + " configured");
        }
        return Optional.of(entry(item, payload));
    }

    @Override
    public boolean claim(String id, String by, Instant now, Duration lease) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(ID, s(id)))
                    .updateExpression("SET #cu = :until, #cb = :by")
                    .conditionExpression("#st = :pending AND (attribute_not_exists(#cu) OR #cu < :now)")
                    .expressionAttributeNames(Map.of("#st", STATUS, "#cu", CLAIMED_UNTIL, "#cb", CLAIMED_BY))
                    .expressionAttributeValues(Map.of(":pending", s(Status.PENDING.name()),
                            ":until", s(SortableTime.format(now.plus(lease))), ":now", s(SortableTime.format(now)),
                            ":by", s(by))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
    }

    @Override
    public void release(String id, String by) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(ID, s(id)))
                    .updateExpression("REMOVE #cu, #cb").conditionExpression("#cb = :by")
                    .expressionAttributeNames(Map.of("#cu", CLAIMED_UNTIL, "#cb", CLAIMED_BY))
                    .expressionAttributeValues(Map.of(":by", s(by))));
        } catch (ConditionalCheckFailedException e) {
            // another replay claimed it after this claim ran out: leave its claim
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
    }

    @Override
    public boolean markReplayed(String id, String by, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(ID, s(id)))
                    .updateExpression("SET #st = :replayed, #at = :at, #by = :by REMOVE #cu, #cb")
                    .conditionExpression("#st = :pending")
                    .expressionAttributeNames(Map.of("#st", STATUS, "#at", REPLAYED_AT, "#by", REPLAYED_BY,
                            "#cu", CLAIMED_UNTIL, "#cb", CLAIMED_BY))
                    .expressionAttributeValues(Map.of(":replayed", s(Status.REPLAYED.name()),
                            ":pending", s(Status.PENDING.name()), ":at", s(SortableTime.format(at)),
                            ":by", s(by))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw DependencyFailures.classify(dependency, e);
        }
    }

    /** An item as an entry; {@code payload} empty for a listing. */
    public static Entry entry(Map<String, AttributeValue> item, byte[] payload) {
        Map<String, AttributeValue> o = item.containsKey(ORIGIN) ? item.get(ORIGIN).m() : Map.of();
        DeadLetter.IdConflict conflict = null;
        if (item.containsKey(CONFLICT)) {
            Map<String, AttributeValue> c = item.get(CONFLICT).m();
            conflict = new DeadLetter.IdConflict(c.get("storedEvent").s(), c.get("event").s());
        }
        DeadLetter letter = new DeadLetter(payload, RejectionReason.valueOf(item.get(REASON).s()),
                text(item, DETAIL), text(item, ADAPTER),
                new RecordOrigin(text(o, "stream"), text(o, "shardId"), text(o, "sequenceNumber"),
                        text(o, "partitionKey")),
                instant(item, ARRIVED_AT), instant(item, DEAD_LETTERED_AT), conflict);
        return new Entry(item.get(ID).s(), letter, Status.valueOf(item.get(STATUS).s()), instant(item, REPLAYED_AT),
                text(item, REPLAYED_BY));
    }

    /** The payload's length as recorded. */
    public static long payloadBytes(Map<String, AttributeValue> item) {
        return item.containsKey(PAYLOAD_BYTES) ? Long.parseLong(item.get(PAYLOAD_BYTES).n()) : 0;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = text(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static void putIfPresent(Map<String, AttributeValue> m, String name, String value) {
        if (value != null) {
            m.put(name, s(value));
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }

}
