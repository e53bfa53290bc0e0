package io.waybill.aws.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.EventProofs;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The proofs table: one item per anchored event, key {@value #EVENT_ID} (string); {@value #PROOF} holds the proof
 * object exactly as partners get it ({@link EventProof#toJson()}), beside {@value #ROOT}, {@value #TX} and
 * {@value #BLOCK} for reading without parsing. Writes are BatchWriteItem of at most 25 puts, unprocessed items
 * retried; a put overwrites (a re-anchored batch's events get the new transaction and block).
 */
public final class DynamoDbEventProofs implements EventProofs {
    public static final String EVENT_ID = "eventId";
    public static final String PROOF = "proof";
    public static final String ROOT = "root";
    public static final String TX = "tx";
    public static final String BLOCK = "block";
    /** The local stack's table. */
    public static final String LOCAL_TABLE = "waybill-event-proofs";
    static final int MAX_BATCH = 25;
    static final int MAX_ATTEMPTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbEventProofs(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The table's definition (emulators); CDK declares the same key. */
    public static CreateTableRequest definition(String tableName) {
        return CreateTableRequest.builder().tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(EVENT_ID)
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(EVENT_ID).keyType(KeyType.HASH).build())
                .build();
    }

    @Override
    public void putAll(List<EventProof> proofs) {
        for (int from = 0; from < proofs.size(); from += MAX_BATCH) {
            List<WriteRequest> pending = new ArrayList<>();
            for (EventProof p : proofs.subList(from, Math.min(proofs.size(), from + MAX_BATCH))) {
                pending.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(p)).build()).build());
            }
            write(pending);
        }
    }

    private void write(List<WriteRequest> requests) {
        List<WriteRequest> pending = requests;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw DependencyFailures.classify("event proofs " + table,
                        SdkException.create(pending.size() + " proofs stayed unprocessed", null));
            }
            BatchWriteItemResponse r;
            try {
                List<WriteRequest> batch = pending;
                r = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            } catch (SdkException e) {
                throw DependencyFailures.classify("event proofs " + table, e);
            }
            pending = r.unprocessedItems().getOrDefault(table, List.of());
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(25L << Math.min(attempt, 5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw DependencyFailures.classify("event proofs " + table, SdkException.create("interrupted", e));
                }
            }
        }
    }

    private static Map<String, AttributeValue> item(EventProof p) {
        return Map.of(EVENT_ID, AttributeValue.fromS(p.eventId()),
                PROOF, AttributeValue.fromS(p.toJson().toString()),
                ROOT, AttributeValue.fromS(p.root()),
                TX, AttributeValue.fromS(p.receipt().tx()),
                BLOCK, AttributeValue.fromN(Long.toString(p.receipt().block())));
    }

    @Override
    public Optional<EventProof> find(String eventId) {
        GetItemResponse r;
        try {
            r = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of(EVENT_ID, AttributeValue.fromS(eventId))));
        } catch (SdkException e) {
            throw DependencyFailures.classify("event proofs " + table, e);
        }
        if (!r.hasItem() || r.item().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventProof.fromJson(JSON.readTree(r.item().get(PROOF).s())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored proof of " + eventId + " is not JSON", e);
        }
    }
}
