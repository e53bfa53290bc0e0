package io.waybill.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * A Waybill ledger table ({@link EventStore}, {@link ColdChainStore}): string keys, on-demand capacity,
 * point-in-time recovery, encrypted with its store's customer-managed key ({@link #key}); retained on stack deletion
 * and deletion-protected unless the stage says {@code retainData=false}. Global secondary indexes are added in the
 * order declared.
 */
final class LedgerTable {
    private final Construct store;
    private final String id;
    private final StageConfig config;
    private final Key key;
    private final List<GlobalSecondaryIndexProps> indexes = new ArrayList<>();
    private String tableName;
    private String partitionKey;
    private String sortKey;
    private PolicyDocument resourcePolicy;
    private String timeToLive;

    private LedgerTable(Construct store, String id, StageConfig config, Key key) {
        this.store = store;
        this.id = id;
        this.config = config;
        this.key = key;
    }

    /** A table with construct id {@code id} under {@code store}, encrypted with {@code key}. */
    static LedgerTable in(Construct store, String id, StageConfig config, Key key) {
        return new LedgerTable(store, id, config, key);
    }

    /** A ledger is retained on stack deletion unless the stage says {@code retainData=false}; so is its key. */
    static RemovalPolicy removalPolicy(StageConfig config) {
        return config.dataRemovalPolicy();
    }

    /** The store's customer-managed key ({@link CustomerKey}), retained or removed with the tables it encrypts. */
    static Key key(Construct store, StageConfig config, String purpose, String aliasName) {
        return CustomerKey.of(store, config, purpose, aliasName, removalPolicy(config));
    }

    /** The table's name: {@code waybill-<stage>-<name>}. */
    LedgerTable named(String name) {
        this.tableName = config.resourceName(name);
        return this;
    }

    LedgerTable partitionKey(String attribute) {
        this.partitionKey = attribute;
        return this;
    }

    LedgerTable sortKey(String attribute) {
        this.sortKey = attribute;
        return this;
    }

    /** The table's resource-based policy (CloudFormation {@code ResourcePolicy}), e.g. what no principal may do. */
    LedgerTable resourcePolicy(PolicyDocument policy) {
        this.resourcePolicy = policy;
        return this;
    }

    /** {@code arn:<partition>:dynamodb:<region>:<account>:table/<name>}: built from the name, since a table's policy
     * cannot refer to the table's own {@code Arn} attribute (a circular reference). */
    String tableArn() {
        return "arn:" + software.amazon.awscdk.Aws.PARTITION + ":dynamodb:" + software.amazon.awscdk.Aws.REGION + ":"
                + software.amazon.awscdk.Aws.ACCOUNT_ID + ":table/" + tableName;
    }

    /** Items expire at the epoch seconds in {@code attribute} (DynamoDB TTL). */
    LedgerTable timeToLive(String attribute) {
        this.timeToLive = attribute;
        return this;
    }

    /** A global secondary index on string keys {@code partitionKey} and {@code sortKey}. */
    LedgerTable index(String name, String partitionKey, String sortKey, ProjectionType projection) {
        indexes.add(GlobalSecondaryIndexProps.builder()
                .indexName(name)
                .partitionKey(string(partitionKey))
                .sortKey(string(sortKey))
                .projectionType(projection)
                .build());
        return this;
    }

    Table build() {
        RemovalPolicy removal = removalPolicy(config);
        Table.Builder builder = Table.Builder.create(store, id)
                .tableName(tableName)
                .partitionKey(string(partitionKey))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .deletionProtection(config.retainData())
                .removalPolicy(removal);
        if (sortKey != null) {
            builder.sortKey(string(sortKey));
        }
        if (timeToLive != null) {
            builder.timeToLiveAttribute(timeToLive);
        }
        if (resourcePolicy != null) {
            builder.resourcePolicy(resourcePolicy);
        }
        Table table = builder.build();
        indexes.forEach(table::addGlobalSecondaryIndex);
        return table;
    }

    private static Attribute string(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
