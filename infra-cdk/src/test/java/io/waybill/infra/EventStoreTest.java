package io.waybill.infra;

import io.waybill.aws.eventstore.EventItem;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.aws.eventstore.ShipmentItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.attributeTypes;
import static io.waybill.infra.SynthesizedStacks.keyTypes;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

class EventStoreTest {
    private static SynthesizedStacks.Synthesized dev;
    private static Map<String, Object> events;
    private static Map<String, Object> shipments;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        events = properties(dev, dev.stack().eventStore().events());
        shipments = properties(dev, dev.stack().eventStore().shipments());
    }

    @Test
    void keyNamesAreTheIngestItemBeansKeys() {
        var eventMeta = TableSchema.fromBean(EventItem.class).tableMetadata();
        assertThat(EventStore.EVENT_KEY).isEqualTo(eventMeta.primaryPartitionKey());
        assertThat(EventStore.BY_SUBJECT_INDEX).isEqualTo(EventItem.BY_SUBJECT_INDEX);
        assertThat(EventStore.SUBJECT).isEqualTo(eventMeta.indexPartitionKey(EventItem.BY_SUBJECT_INDEX));
        assertThat(EventStore.TIME).isEqualTo(eventMeta.indexSortKey(EventItem.BY_SUBJECT_INDEX).orElseThrow());
        assertThat(EventStore.SHIPMENT_SSCC)
                .isEqualTo(TableSchema.fromBean(ShipmentItem.class).tableMetadata().primaryPartitionKey());
    }

    @Test
    void eventsTableDeclaresTheSameKeysAsTheLocalTableDefinition() {
        CreateTableRequest local = EventStoreTables.events("events");
        assertThat(attributeTypes(events)).isEqualTo(local.attributeDefinitions().stream()
                .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())));
        assertThat(keyTypes(asList(events.get("KeySchema")))).isEqualTo(local.keySchema().stream()
                .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())));
        Map<String, Object> gsi = asMap(asList(events.get("GlobalSecondaryIndexes")).get(0));
        var localGsi = local.globalSecondaryIndexes().get(0);
        assertThat(gsi).containsEntry("IndexName", localGsi.indexName())
                .containsEntry("Projection", Map.of("ProjectionType", localGsi.projection().projectionTypeAsString()));
        assertThat(keyTypes(asList(gsi.get("KeySchema")))).isEqualTo(localGsi.keySchema().stream()
                .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())));
    }

    @Test
    void shipmentsTableDeclaresTheSameKeyAsTheLocalTableDefinition() {
        CreateTableRequest local = EventStoreTables.shipments("shipments");
        assertThat(attributeTypes(shipments)).isEqualTo(local.attributeDefinitions().stream()
                .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())));
        assertThat(keyTypes(asList(shipments.get("KeySchema")))).isEqualTo(local.keySchema().stream()
                .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())));
        // the ops API's list by status queries this index: deployed and local must carry the same one
        Map<String, Object> gsi = asMap(asList(shipments.get("GlobalSecondaryIndexes")).get(0));
        var localGsi = local.globalSecondaryIndexes().get(0);
        assertThat(gsi).containsEntry("IndexName", ShipmentItem.BY_STATUS_INDEX)
                .containsEntry("IndexName", localGsi.indexName())
                .containsEntry("Projection", Map.of("ProjectionType", "ALL"));
        assertThat(keyTypes(asList(gsi.get("KeySchema")))).isEqualTo(Map.of("status", "HASH",
                "shipmentSscc", "RANGE"));
        assertThat(keyTypes(asList(gsi.get("KeySchema")))).isEqualTo(localGsi.keySchema().stream()
                .collect(Collectors.toMap(k -> k.attributeName(), k -> k.keyTypeAsString())));
    }

    @Test
    void tablesAreOnDemandWithPointInTimeRecoveryAndACustomerManagedKey() {
        String key = dev.logicalId(dev.stack().eventStore().key());
        for (Map<String, Object> table : List.of(events, shipments)) {
            assertThat(table).containsEntry("BillingMode", "PAY_PER_REQUEST")
                    .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                    .containsEntry("SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS",
                            "KMSMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))));
        }
        assertThat(resource(dev, dev.stack().eventStore().key()).get("Properties").toString())
                .contains("EnableKeyRotation=true");
    }

    @Test
    void ledgerTablesAndTheirKeyAreRetainedAndDeletionProtectedByDefault() {
        var store = dev.stack().eventStore();
        for (var construct : List.of(store.events(), store.shipments(), store.key())) {
            Map<String, Object> resource = resource(dev, construct);
            assertThat(resource).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
        }
        assertThat(events).containsEntry("DeletionProtectionEnabled", true);
        assertThat(shipments).containsEntry("DeletionProtectionEnabled", true);
    }

    @Test
    void retainDataFalseLetsAThrowawayStageDeleteItsTables() {
        var loadTest = SynthesizedStacks.loadTest();
        var store = loadTest.stack().eventStore();
        for (var construct : List.of(store.events(), store.shipments())) {
            assertThat(resource(loadTest, construct)).containsEntry("DeletionPolicy", "Delete");
            assertThat(properties(loadTest, construct)).containsEntry("DeletionProtectionEnabled", false);
        }
    }

    @Test
    void eventsTableDeniesChangingOrDeletingAStoredEventToEveryPrincipal() {
        var policy = asMap(asMap(events.get("ResourcePolicy")).get("PolicyDocument"));
        assertThat(asList(policy.get("Statement"))).singleElement().satisfies(s -> {
            Map<String, Object> statement = asMap(s);
            assertThat(statement).containsEntry("Effect", "Deny").containsEntry("Principal", "*")
                    .doesNotContainKey("Condition");
            // Every item-level way to change or remove an item, and nothing else: BatchWriteItem because its delete
            // requests are not authorised as DeleteItem. Table management (UpdateTable, PutResourcePolicy, ...) stays
            // allowed, so the stack and the account keep managing the table.
            assertThat(asList(statement.get("Action"))).containsExactlyInAnyOrder("dynamodb:UpdateItem",
                    "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLUpdate",
                    "dynamodb:PartiQLDelete");
            // The table's own ARN, built from its name (its Arn attribute would be a circular reference).
            assertThat(statement.get("Resource")).isEqualTo(Map.of("Fn::Join", List.of("", List.of(
                    "arn:", Map.of("Ref", "AWS::Partition"), ":dynamodb:", Map.of("Ref", "AWS::Region"), ":",
                    Map.of("Ref", "AWS::AccountId"), ":table/" + events.get("TableName")))));
        });
        assertThat(events.get("TableName")).isEqualTo("waybill-dev-events");
    }

    @Test
    void readsAndConditionalPutsTheFunctionsNeedAreNotDenied() {
        List<Object> denied = asList(asMap(asList(asMap(asMap(events.get("ResourcePolicy")).get("PolicyDocument"))
                .get("Statement")).get(0)).get("Action"));
        // ingest and cold chain: GetItem/PutItem; the KPI publisher: Scan; the shipment history: Query on bySubject.
        assertThat(denied).doesNotContain("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan", "dynamodb:Query",
                "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect");
    }

    @Test
    void theShipmentProjectionIsMutableAndHasNoResourcePolicy() {
        assertThat(shipments).doesNotContainKey("ResourcePolicy");
    }

    @Test
    void aThrowawayStageKeepsItsLedgerAppendOnlyToo() {
        var loadTest = SynthesizedStacks.loadTest();
        assertThat(properties(loadTest, loadTest.stack().eventStore().events()).get("ResourcePolicy").toString())
                .contains("Effect=Deny", "dynamodb:DeleteItem", ":table/waybill-load-test-events");
    }

    private static Map<String, Object> resource(SynthesizedStacks.Synthesized variant, software.constructs.IConstruct c) {
        return variant.template().findResources("AWS::" + (c instanceof software.amazon.awscdk.services.kms.Key
                        ? "KMS::Key" : "DynamoDB::Table")).entrySet().stream()
                .filter(e -> e.getKey().equals(variant.logicalId(c))).map(e -> asMap(e.getValue()))
                .findFirst().orElseThrow();
    }

    private static Map<String, Object> properties(SynthesizedStacks.Synthesized variant, software.constructs.IConstruct c) {
        return asMap(resource(variant, c).get("Properties"));
    }
}
