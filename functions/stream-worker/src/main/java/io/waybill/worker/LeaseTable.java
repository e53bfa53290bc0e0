package io.waybill.worker;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * KCL 3's lease table, created complete (with its GSI) before the scheduler starts. KCL would create the table and
 * then add the index with UpdateTable and wait for it; on dynalite that path does not work. On AWS either way works;
 * in production the table would rather come from the infrastructure code.
 */
public final class LeaseTable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseTable.class);

    /** Name of the lease table's global secondary index KCL 3 requires. */
    public static final String LEASE_OWNER_INDEX = "LeaseOwnerToLeaseKeyIndex";
    /** Lease table hash key. */
    public static final String LEASE_KEY = "leaseKey";
    /** Lease owner attribute (GSI hash key). */
    public static final String LEASE_OWNER = "leaseOwner";
    /** Checkpoint attribute. */
    public static final String CHECKPOINT = "checkpoint";

    private LeaseTable() {
    }

    /**
     * Creates the lease table if it does not exist and waits until it and its index are ACTIVE: PAY_PER_REQUEST,
     * hash key {@value #LEASE_KEY} (S), GSI {@value #LEASE_OWNER_INDEX} on {@value #LEASE_OWNER} (hash) +
     * {@value #LEASE_KEY} (range), KEYS_ONLY.
     *
     * @param dynamoDb  DynamoDB client
     * @param tableName lease table name (the KCL application name)
     */
    public static void create(DynamoDbAsyncClient dynamoDb, String tableName) {
        CreateTableRequest request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(LEASE_KEY).attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder().attributeName(LEASE_OWNER).attributeType(ScalarAttributeType.S)
                                .build())
                .keySchema(KeySchemaElement.builder().attributeName(LEASE_KEY).keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(LEASE_OWNER_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(LEASE_OWNER).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(LEASE_KEY).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
        try {
            dynamoDb.createTable(request).join();
            LOG.info("lease table {} created", tableName);
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof ResourceInUseException)) {
                throw unwrap(e);
            }
            LOG.debug("lease table {} already exists", tableName);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long delay = 50;
        while (true) {
            TableDescription table;
            try {
                table = dynamoDb.describeTable(b -> b.tableName(tableName)).join().table();
            } catch (CompletionException e) {
                throw unwrap(e);
            }
            boolean indexActive = table.globalSecondaryIndexes().stream()
                    .anyMatch(i -> LEASE_OWNER_INDEX.equals(i.indexName()) && "ACTIVE".equals(i.indexStatusAsString()));
            if (table.tableStatus() == TableStatus.ACTIVE && indexActive) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("lease table " + tableName + " not ACTIVE with index "
                        + LEASE_OWNER_INDEX + " after 60 s");
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            delay = Math.min(delay * 2, 1_000);
        }
    }

    private static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException re ? re : e;
    }
}
