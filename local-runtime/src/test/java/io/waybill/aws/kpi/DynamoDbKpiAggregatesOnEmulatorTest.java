package io.waybill.aws.kpi;

import io.waybill.domain.kpi.Lane;
import io.waybill.domain.kpi.LaneAggregate;
import io.waybill.domain.kpi.Movement;
import io.waybill.domain.kpi.ShipmentMovements;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DynamoDbKpiAggregates} on the local DynamoDB emulator (dynalite, which has no transactions): a fold that
 * stopped after committing the shipment's state and before touching any aggregate is finished by the next delivery,
 * and counted once; a resend writes nothing.
 */
@Timeout(60)
class DynamoDbKpiAggregatesOnEmulatorTest {
    private static final String TABLE = "kpi-aggregates-crash";
    private static final String DC = "0614141000005";
    private static final String HUB = "0614141000012";
    private static final String S1 = "106141410000000019";
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private static final String SOURCE = "urn:waybill:swiftlog:SWIFTLOG";

    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(DynamoDbKpiAggregates.definition(TABLE));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aFoldThatStoppedHalfWayIsFinishedByTheRedeliveryAndCountedOnce() {
        DynamoDbClient dynamo = stack.clients().dynamoDb();
        DynamoDbKpiAggregates aggregates = new DynamoDbKpiAggregates(dynamo, TABLE);
        Movement departed = new Movement(S1, T0, "S1-1", SOURCE, true, DC);
        Movement arrived = new Movement(S1, T0.plus(Duration.ofHours(4)), "S1-2", SOURCE, false, HUB);
        assertThat(aggregates.fold(S1, List.of(departed))).isTrue();

        // The crash: the arrival's state committed (version 2, pendingFrom = the departure alone), no aggregate updated.
        ShipmentMovements before = ShipmentMovements.none(S1).fold(List.of(departed));
        ShipmentMovements after = before.fold(List.of(arrived));
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of(
                DynamoDbKpiAggregates.PK, AttributeValue.fromS("SHIPMENT#" + S1),
                DynamoDbKpiAggregates.SK, AttributeValue.fromS(DynamoDbKpiAggregates.MOVEMENTS),
                DynamoDbKpiAggregates.MOVEMENTS_ATTRIBUTE,
                AttributeValue.fromS(DynamoDbKpiAggregates.writeMovements(after)),
                DynamoDbKpiAggregates.PENDING_FROM, AttributeValue.fromS(DynamoDbKpiAggregates.writeMovements(before)),
                DynamoDbKpiAggregates.VERSION, AttributeValue.fromN("2"))));
        assertThat(lane(aggregates, new Lane(DC, Lane.UNKNOWN_GLN)).inTransit()).as("still as before the crash")
                .isEqualTo(1);

        // The redelivered arrival: the pending fold is finished, the arrival itself is then already known.
        assertThat(aggregates.fold(S1, List.of(arrived))).isFalse();
        assertThat(aggregates.fold(S1, List.of(departed, arrived))).as("a resend changes nothing").isFalse();

        LaneAggregate dcHub = lane(aggregates, new Lane(DC, HUB));
        assertThat(dcHub.shipments()).isEqualTo(1);
        assertThat(dcHub.legs()).isEqualTo(1);
        assertThat(dcHub.transit().count()).isEqualTo(1);
        assertThat(dcHub.transit().stats().p50()).contains(Duration.ofHours(4));
        LaneAggregate inTransit = lane(aggregates, new Lane(DC, Lane.UNKNOWN_GLN));
        assertThat(inTransit.legs()).as("the in-transit leg became the DC->HUB leg").isZero();
        assertThat(inTransit.shipments()).isZero();
        assertThat(aggregates.totals()).isEqualTo(new DynamoDbKpiAggregates.Totals(1, 2));
        assertThat(dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(
                DynamoDbKpiAggregates.PK, AttributeValue.fromS("SHIPMENT#" + S1),
                DynamoDbKpiAggregates.SK, AttributeValue.fromS(DynamoDbKpiAggregates.MOVEMENTS)))).item())
                .doesNotContainKey(DynamoDbKpiAggregates.PENDING_FROM);
        // The tokens are cleaned up: no aggregate still holds one.
        assertThat(dynamo.scan(b -> b.tableName(TABLE)).items()).allSatisfy(item ->
                assertThat(item).doesNotContainKey("applied"));
    }

    private static LaneAggregate lane(DynamoDbKpiAggregates aggregates, Lane lane) {
        return aggregates.lanes().stream().filter(a -> a.lane().equals(lane)).findFirst()
                .orElseThrow(() -> new AssertionError("no lane " + lane));
    }
}
