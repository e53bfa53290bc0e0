package io.waybill.aws.provenance;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.provenance.AnchorAttempt;
import io.waybill.domain.provenance.AnchorBatch;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorLedger;
import io.waybill.domain.provenance.EthereumAddress;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The anchor ledger in one DynamoDB table, keys {@value #PK} and {@value #SK} (strings):
 * <table>
 *   <tr><th>item</th><th>{@value #PK}</th><th>{@value #SK}</th><th>what it holds</th></tr>
 *   <tr><td>selected event</td><td>{@code event#<eventId>}</td><td>{@code event}</td><td>hash, type, subject,
 *       queuedAt; while queued {@value #QUEUE} = {@code queued} and {@value #QUEUE_ORDER}
 *       ({@code <epoch ms, 15 digits>#<eventId>}); once batched {@value #BATCH_ROOT} and the index. The item stays
 *       after anchoring: it is what makes a redelivery a no-op (a conditional put on the key).</td></tr>
 *   <tr><td>batch</td><td>{@code batch#<root>}</td><td>{@code batch}</td><td>state, count, uri, sealedAt, version,
 *       the attempts (a list of maps, about 1 KB each: raw hex, hash, nonce, fees) and the recorded inclusion;
 *       {@value #OPEN} = {@code open} while the state is open.</td></tr>
 *   <tr><td>member</td><td>{@code batch#<root>}</td><td>{@code member#<index, 5 digits>}</td><td>one per member
 *       (about 200 bytes): a batch of 10,000 is 10,000 small items in the batch's partition, never one list over the
 *       400 KB item limit; read with a consistent Query.</td></tr>
 *   <tr><td>nonce</td><td>{@code nonce#<address>}</td><td>{@code nonce}</td><td>the signer's next nonce, and while
 *       an attempt is being stored a marker naming it (see {@link #storeAttempt}).</td></tr>
 *   <tr><td>lease</td><td>{@code writer#<address>}</td><td>{@code lease}</td><td>owner and expiry (epoch ms).</td></tr>
 * </table>
 * Sparse GSIs: {@value #QUEUE_INDEX} ({@value #QUEUE}, {@value #QUEUE_ORDER}; the queue oldest first) and
 * {@value #OPEN_INDEX} ({@value #OPEN}, {@value #SEALED_AT}; open batches). Both are eventually consistent; the engine
 * claims members conditionally and reads each batch again consistently before acting. The queue index has one
 * partition key value: fine for the narrow set of provenance events (thousands an hour), not for telemetry.
 * Every SDK failure is classified by {@link DependencyFailures}.
 */
public final class DynamoDbAnchorLedger implements AnchorLedger {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String QUEUE = "queue";
    public static final String QUEUE_ORDER = "queueOrder";
    public static final String QUEUE_INDEX = "queue-index";
    public static final String OPEN = "open";
    public static final String SEALED_AT = "sealedAt";
    public static final String OPEN_INDEX = "open-index";
    public static final String BATCH_ROOT = "batchRoot";
    /** The local stack's table. */
    public static final String LOCAL_TABLE = "waybill-anchor-ledger";
    static final int MAX_WRITE_BATCH = 25;
    static final String PENDING_ROOT = "pendingRoot";
    static final String PENDING_HASH = "pendingHash";
    static final String PENDING_PREVIOUS = "pendingPrevious";
    private static final String NONE = "none";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbAnchorLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The table's definition (emulators); CDK declares the same keys and indexes. */
    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(s(PK), s(SK), s(QUEUE), s(QUEUE_ORDER), s(OPEN), s(SEALED_AT))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(gsi(QUEUE_INDEX, QUEUE, QUEUE_ORDER), gsi(OPEN_INDEX, OPEN, SEALED_AT))
                .build();
    }

    private static AttributeDefinition s(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static GlobalSecondaryIndex gsi(String name, String hash, String range) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key(hash, KeyType.HASH),
                key(range, KeyType.RANGE)).projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    // ---- keys --------------------------------------------------------------------------------------------------

    private static Map<String, AttributeValue> keyOf(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    private static Map<String, AttributeValue> eventKey(String eventId) {
        return keyOf("event#" + eventId, "event");
    }

    private static Map<String, AttributeValue> batchKey(String root) {
        return keyOf("batch#" + root, "batch");
    }

    private static String memberSk(int index) {
        return String.format("member#%05d", index);
    }

    private static String queueOrder(AnchorCandidate c) {
        return String.format("%015d#%s", c.queuedAt().toEpochMilli(), c.eventId());
    }

    private RuntimeException failed(String what, SdkException e) {
        return DependencyFailures.classify("anchor ledger " + table + " (" + what + ")", e);
    }

    // ---- the queue ---------------------------------------------------------------------------------------------

    @Override
    public boolean enqueue(AnchorCandidate c) {
        Map<String, AttributeValue> item = new HashMap<>(eventKey(c.eventId()));
        item.put("eventId", AttributeValue.fromS(c.eventId()));
        item.put("eventHash", AttributeValue.fromS(c.eventHash()));
        item.put("type", AttributeValue.fromS(c.type()));
        if (c.subject() != null) {
            item.put("subject", AttributeValue.fromS(c.subject()));
        }
        item.put("queuedAt", AttributeValue.fromS(c.queuedAt().toString()));
        item.put(QUEUE, AttributeValue.fromS("queued"));
        item.put(QUEUE_ORDER, AttributeValue.fromS(queueOrder(c)));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException known) {
            return false;
        } catch (SdkException e) {
            throw failed("enqueue", e);
        }
    }

    @Override
    public List<AnchorCandidate> oldestQueued(int limit) {
        List<AnchorCandidate> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).indexName(QUEUE_INDEX)
                        .keyConditionExpression("#q = :q").expressionAttributeNames(Map.of("#q", QUEUE))
                        .expressionAttributeValues(Map.of(":q", AttributeValue.fromS("queued")))
                        .limit(limit - out.size()).exclusiveStartKey(from));
            } catch (SdkException e) {
                throw failed("queue", e);
            }
            r.items().forEach(i -> out.add(candidate(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < limit);
        return out;
    }

    private static AnchorCandidate candidate(Map<String, AttributeValue> i) {
        return new AnchorCandidate(i.get("eventId").s(), i.get("eventHash").s(), i.get("type").s(),
                i.containsKey("subject") ? i.get("subject").s() : null, Instant.parse(i.get("queuedAt").s()));
    }

    @Override
    public boolean createBatch(AnchorBatch sealing, List<AnchorCandidate> members) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(batchItem(sealing))
                    .conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException exists) {
            return false;
        } catch (SdkException e) {
            throw failed("create batch", e);
        }
        List<WriteRequest> puts = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            AnchorCandidate c = members.get(i);
            Map<String, AttributeValue> item = new HashMap<>(keyOf("batch#" + sealing.root(), memberSk(i)));
            item.put("eventId", AttributeValue.fromS(c.eventId()));
            item.put("eventHash", AttributeValue.fromS(c.eventHash()));
            item.put("type", AttributeValue.fromS(c.type()));
            if (c.subject() != null) {
                item.put("subject", AttributeValue.fromS(c.subject()));
            }
            item.put("queuedAt", AttributeValue.fromS(c.queuedAt().toString()));
            puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
        }
        writeAll(puts, "member list");
        return true;
    }

    private void writeAll(List<WriteRequest> requests, String what) {
        for (int from = 0; from < requests.size(); from += MAX_WRITE_BATCH) {
            List<WriteRequest> pending = requests.subList(from, Math.min(requests.size(), from + MAX_WRITE_BATCH));
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw failed(what, SdkException.create(pending.size() + " writes stayed unprocessed", null));
                }
                List<WriteRequest> now = pending;
                try {
                    pending = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, now)))
                            .unprocessedItems().getOrDefault(table, List.of());
                } catch (SdkException e) {
                    throw failed(what, e);
                }
                if (!pending.isEmpty()) {
                    try {
                        Thread.sleep(25L << Math.min(attempt, 5));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw failed(what, SdkException.create("interrupted", e));
                    }
                }
            }
        }
    }

    @Override
    public boolean claim(String eventId, String root, int index) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(eventKey(eventId))
                    .updateExpression("SET #r = :r, batchIndex = :i REMOVE #q, #o")
                    .conditionExpression("attribute_exists(#q)")
                    .expressionAttributeNames(Map.of("#r", BATCH_ROOT, "#q", QUEUE, "#o", QUEUE_ORDER))
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(root),
                            ":i", AttributeValue.fromN(Integer.toString(index)))));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        } catch (SdkException e) {
            throw failed("claim", e);
        }
    }

    @Override
    public void release(String eventId, String root) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(eventKey(eventId)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw failed("release", e);
        }
        if (item == null || item.isEmpty()) {
            return;
        }
        AnchorCandidate c = candidate(item);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(eventKey(eventId))
                    .updateExpression("SET #q = :q, #o = :o REMOVE #r, batchIndex")
                    .conditionExpression("#r = :r")
                    .expressionAttributeNames(Map.of("#r", BATCH_ROOT, "#q", QUEUE, "#o", QUEUE_ORDER))
                    .expressionAttributeValues(Map.of(":r", AttributeValue.fromS(root),
                            ":q", AttributeValue.fromS("queued"), ":o", AttributeValue.fromS(queueOrder(c)))));
        } catch (ConditionalCheckFailedException notOurs) {
            // not a member of this batch (never claimed, or already released)
        } catch (SdkException e) {
            throw failed("release", e);
        }
    }

    @Override
    public List<AnchorCandidate> members(String root) {
        List<AnchorCandidate> out = new ArrayList<>();
        for (Map<String, AttributeValue> i : memberItems(root)) {
            out.add(candidate(i));
        }
        return out;
    }

    private List<Map<String, AttributeValue>> memberItems(String root) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :p AND begins_with(sk, :m)")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("batch#" + root),
                                ":m", AttributeValue.fromS("member#")))
                        .exclusiveStartKey(from));
            } catch (SdkException e) {
                throw failed("members", e);
            }
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public void deleteBatch(String root) {
        List<WriteRequest> deletes = new ArrayList<>();
        for (Map<String, AttributeValue> i : memberItems(root)) {
            deletes.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                    .key(keyOf(i.get(PK).s(), i.get(SK).s())).build()).build());
        }
        writeAll(deletes, "delete member list");
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(batchKey(root)));
        } catch (SdkException e) {
            throw failed("delete batch", e);
        }
    }

    // ---- batches -----------------------------------------------------------------------------------------------

    @Override
    public Optional<AnchorBatch> batch(String root) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(b -> b.tableName(table).key(batchKey(root)).consistentRead(true)).item();
        } catch (SdkException e) {
            throw failed("batch", e);
        }
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(batchOf(item));
    }

    @Override
    public List<AnchorBatch> openBatches() {
        List<AnchorBatch> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r;
            try {
                r = dynamo.query(b -> b.tableName(table).indexName(OPEN_INDEX)
                        .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", OPEN))
                        .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("open")))
                        .exclusiveStartKey(from));
            } catch (SdkException e) {
                throw failed("open batches", e);
            }
            r.items().forEach(i -> out.add(batchOf(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public boolean update(AnchorBatch next) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(batchItem(next)).conditionExpression("#ver = :v")
                    .expressionAttributeNames(Map.of("#ver", "version"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(next.version() - 1)))));
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        } catch (SdkException e) {
            throw failed("update batch", e);
        }
    }

    /**
     * The attempt and the next nonce "together" without TransactWriteItems (the local emulator has none): the nonce
     * item is moved first, carrying a marker naming the attempt (root, hash, the value before); then the batch is
     * written over the version it was read at; then the marker is cleared. A crash in between leaves the marker,
     * which the next reader resolves: the batch holds the attempt, so the move stands; it does not, so the nonce goes
     * back. A nonce is thus never skipped (a gap would stall every later transaction) and never handed out twice.
     */
    @Override
    public boolean storeAttempt(AnchorBatch next, EthereumAddress signer, Optional<BigInteger> expectedNextNonce,
                                BigInteger nextNonce) {
        resolvePending(signer);
        String hash = next.latest().orElseThrow(() -> new IllegalArgumentException("no attempt to store")).hash();
        Map<String, String> names = new HashMap<>(Map.of("#n", "next", "#r", PENDING_ROOT, "#h", PENDING_HASH,
                "#p", PENDING_PREVIOUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":new", AttributeValue.fromN(nextNonce.toString()),
                ":r", AttributeValue.fromS(next.root()), ":h", AttributeValue.fromS(hash),
                ":p", AttributeValue.fromS(expectedNextNonce.map(BigInteger::toString).orElse(NONE))));
        String condition;
        if (expectedNextNonce.isPresent()) {
            condition = "#n = :exp AND attribute_not_exists(#r)";
            values.put(":exp", AttributeValue.fromN(expectedNextNonce.get().toString()));
        } else {
            condition = "attribute_not_exists(pk)";
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(nonceKey(signer))
                    .updateExpression("SET #n = :new, #r = :r, #h = :h, #p = :p").conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException moved) {
            return false;
        } catch (SdkException e) {
            throw failed("reserve nonce", e);
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(batchItem(next)).conditionExpression("#ver = :v")
                    .expressionAttributeNames(Map.of("#ver", "version"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(next.version() - 1)))));
        } catch (ConditionalCheckFailedException moved) {
            undo(signer, expectedNextNonce, hash);
            return false;
        } catch (SdkException e) {
            throw failed("store attempt", e); // the marker stays: the next reader sees whether the put happened
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(nonceKey(signer)).updateExpression("REMOVE #r, #h, #p")
                    .conditionExpression("#h = :h")
                    .expressionAttributeNames(Map.of("#r", PENDING_ROOT, "#h", PENDING_HASH, "#p", PENDING_PREVIOUS))
                    .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hash))));
            return true;
        } catch (ConditionalCheckFailedException resolvedMeanwhile) {
            // another reader resolved the marker first; it kept the move only if it saw the batch written
            return nextNonce(signer).map(n -> n.compareTo(nextNonce) >= 0).orElse(false);
        } catch (SdkException e) {
            throw failed("store attempt", e);
        }
    }

    private static Map<String, AttributeValue> nonceKey(EthereumAddress signer) {
        return keyOf("nonce#" + signer, "nonce");
    }

    private void undo(EthereumAddress signer, Optional<BigInteger> previous, String hash) {
        try {
            if (previous.isPresent()) {
                dynamo.updateItem(b -> b.tableName(table).key(nonceKey(signer))
                        .updateExpression("SET #n = :prev REMOVE #r, #h, #p").conditionExpression("#h = :h")
                        .expressionAttributeNames(Map.of("#n", "next", "#r", PENDING_ROOT, "#h", PENDING_HASH,
                                "#p", PENDING_PREVIOUS))
                        .expressionAttributeValues(Map.of(":prev", AttributeValue.fromN(previous.get().toString()),
                                ":h", AttributeValue.fromS(hash))));
            } else {
                dynamo.deleteItem(b -> b.tableName(table).key(nonceKey(signer)).conditionExpression("#h = :h")
                        .expressionAttributeNames(Map.of("#h", PENDING_HASH))
                        .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hash))));
            }
        } catch (ConditionalCheckFailedException resolvedMeanwhile) {
            // someone resolved it already
        } catch (SdkException e) {
            throw failed("undo nonce", e);
        }
    }

    /** Resolves a marker a crashed or failed {@link #storeAttempt} left on the nonce item. */
    private void resolvePending(EthereumAddress signer) {
        Map<String, AttributeValue> item = nonceItem(signer);
        if (item == null || !item.containsKey(PENDING_HASH)) {
            return;
        }
        String root = item.get(PENDING_ROOT).s();
        String hash = item.get(PENDING_HASH).s();
        boolean written = batch(root).map(b -> b.attempts().stream().anyMatch(a -> a.hash().equals(hash)))
                .orElse(false);
        if (written) {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(nonceKey(signer)).updateExpression("REMOVE #r, #h, #p")
                        .conditionExpression("#h = :h")
                        .expressionAttributeNames(Map.of("#r", PENDING_ROOT, "#h", PENDING_HASH,
                                "#p", PENDING_PREVIOUS))
                        .expressionAttributeValues(Map.of(":h", AttributeValue.fromS(hash))));
            } catch (ConditionalCheckFailedException resolvedMeanwhile) {
                // done by someone else
            } catch (SdkException e) {
                throw failed("resolve nonce", e);
            }
        } else {
            String previous = item.get(PENDING_PREVIOUS).s();
            undo(signer, NONE.equals(previous) ? Optional.empty() : Optional.of(new BigInteger(previous)), hash);
        }
    }

    private Map<String, AttributeValue> nonceItem(EthereumAddress signer) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(nonceKey(signer))
                    .consistentRead(true)).item();
            return item == null || item.isEmpty() ? null : item;
        } catch (SdkException e) {
            throw failed("nonce", e);
        }
    }

    @Override
    public Optional<BigInteger> nextNonce(EthereumAddress signer) {
        resolvePending(signer);
        Map<String, AttributeValue> item = nonceItem(signer);
        return item == null ? Optional.empty() : Optional.of(new BigInteger(item.get("next").n()));
    }

    // ---- the lease ---------------------------------------------------------------------------------------------

    @Override
    public boolean holdLease(String key, String owner, Instant now, Instant until) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(PK, AttributeValue.fromS(key), SK, AttributeValue.fromS("lease"),
                            "owner", AttributeValue.fromS(owner),
                            "until", AttributeValue.fromN(Long.toString(until.toEpochMilli()))))
                    .conditionExpression("attribute_not_exists(pk) OR #o = :o OR #u <= :now")
                    .expressionAttributeNames(Map.of("#o", "owner", "#u", "until"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner),
                            ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException held) {
            return false;
        } catch (SdkException e) {
            throw failed("lease", e);
        }
    }

    @Override
    public void releaseLease(String key, String owner) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(keyOf(key, "lease")).conditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS(owner))));
        } catch (ConditionalCheckFailedException notOurs) {
            // another run holds it now
        } catch (SdkException e) {
            throw failed("release lease", e);
        }
    }

    // ---- batch items -------------------------------------------------------------------------------------------

    static Map<String, AttributeValue> batchItem(AnchorBatch b) {
        Map<String, AttributeValue> item = new HashMap<>(batchKey(b.root()));
        item.put("root", AttributeValue.fromS(b.root()));
        item.put("count", AttributeValue.fromN(Integer.toString(b.count())));
        item.put("uri", AttributeValue.fromS(b.uri()));
        item.put("state", AttributeValue.fromS(b.state().name()));
        item.put(SEALED_AT, AttributeValue.fromS(b.sealedAt().toString()));
        item.put("version", AttributeValue.fromN(Long.toString(b.version())));
        if (b.state().open()) {
            item.put(OPEN, AttributeValue.fromS("open"));
        }
        List<AttributeValue> attempts = new ArrayList<>();
        for (AnchorAttempt a : b.attempts()) {
            Map<String, AttributeValue> m = new HashMap<>();
            m.put("nonce", AttributeValue.fromS(a.nonce().toString()));
            m.put("hash", AttributeValue.fromS(a.hash()));
            m.put("raw", AttributeValue.fromS(a.raw()));
            m.put("maxFee", AttributeValue.fromS(a.fees().maxFeePerGas().toString()));
            m.put("tip", AttributeValue.fromS(a.fees().maxPriorityFeePerGas().toString()));
            m.put("gasLimit", AttributeValue.fromN(Long.toString(a.gasLimit())));
            m.put("signedAt", AttributeValue.fromS(a.signedAt().toString()));
            if (a.broadcastAt() != null) {
                m.put("broadcastAt", AttributeValue.fromS(a.broadcastAt().toString()));
            }
            m.put("underpriced", AttributeValue.fromBool(a.underpriced()));
            attempts.add(AttributeValue.fromM(m));
        }
        item.put("attempts", AttributeValue.fromL(attempts));
        if (b.included() != null) {
            AnchorChain.Inclusion i = b.included();
            item.put("included", AttributeValue.fromM(Map.of("txHash", AttributeValue.fromS(i.txHash()),
                    "block", AttributeValue.fromN(Long.toString(i.block())),
                    "blockHash", AttributeValue.fromS(i.blockHash()),
                    "succeeded", AttributeValue.fromBool(i.succeeded()),
                    "gasUsed", AttributeValue.fromN(Long.toString(i.gasUsed())))));
        }
        if (b.failure() != null) {
            item.put("failure", AttributeValue.fromS(b.failure()));
        }
        return item;
    }

    static AnchorBatch batchOf(Map<String, AttributeValue> item) {
        List<AnchorAttempt> attempts = new ArrayList<>();
        for (AttributeValue v : item.get("attempts").l()) {
            Map<String, AttributeValue> m = v.m();
            attempts.add(new AnchorAttempt(new BigInteger(m.get("nonce").s()), m.get("hash").s(), m.get("raw").s(),
                    new AnchorChain.Fees(new BigInteger(m.get("maxFee").s()), new BigInteger(m.get("tip").s())),
                    Long.parseLong(m.get("gasLimit").n()), Instant.parse(m.get("signedAt").s()),
                    m.containsKey("broadcastAt") ? Instant.parse(m.get("broadcastAt").s()) : null,
                    m.get("underpriced").bool()));
        }
        AnchorChain.Inclusion included = null;
        if (item.containsKey("included")) {
            Map<String, AttributeValue> i = item.get("included").m();
            included = new AnchorChain.Inclusion(i.get("txHash").s(), Long.parseLong(i.get("block").n()),
                    i.get("blockHash").s(), i.get("succeeded").bool(), Long.parseLong(i.get("gasUsed").n()));
        }
        return new AnchorBatch(item.get("root").s(), Integer.parseInt(item.get("count").n()), item.get("uri").s(),
                AnchorBatch.State.valueOf(item.get("state").s()), Instant.parse(item.get(SEALED_AT).s()), attempts,
                included, item.containsKey("failure") ? item.get("failure").s() : null,
                Long.parseLong(item.get("version").n()));
    }
}
