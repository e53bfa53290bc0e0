package io.waybill.aws.eventstore;

import io.waybill.domain.projection.ShipmentState;
import io.waybill.domain.projection.ShipmentStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan part of the shipment item, through the DynamoDB attribute mapping (no emulator), and its cached reader. */
class ShipmentPlanItemTest {
    private static final String SSCC = "106141412345678908";
    private static final Instant ISSUED = Instant.parse("2026-11-26T16:00:00Z");

    private static ShipmentState planned(ShipmentState.Plan plan) {
        return new ShipmentState(SSCC, ShipmentStatus.IN_TRANSIT, ISSUED.plusSeconds(60), "k#1", null, null, null,
                null, 4.5, ISSUED.plusSeconds(120), "k#2", null, null, null, null, ISSUED.plusSeconds(120), "k#2",
                "waybill.temperature.observed.v1", null, null, null, null, plan);
    }

    @Test
    void aPlanSurvivesTheItemMappingFieldByField() {
        ShipmentState.Plan plan = new ShipmentState.Plan("frozen", "0614141000012", "4012345000009",
                Instant.parse("2026-11-27T08:00:00Z"), Instant.parse("2026-11-28T14:30:00Z"),
                List.of("TT-0042", "reefer-07"), "0614141000029", null, ISSUED, "urn:waybill:waybill-plan:ACME-TMS#P-r2");
        ShipmentState state = planned(plan);

        Map<String, AttributeValue> attributes = DynamoDbShipmentStateStore.SCHEMA.itemToMap(
                DynamoDbShipmentStateStore.toItem(state), true);
        ShipmentState back = DynamoDbShipmentStateStore.toState(DynamoDbShipmentStateStore.SCHEMA.mapToItem(attributes));

        assertThat(attributes.get("planProductClass").s()).isEqualTo("frozen");
        assertThat(attributes.get("planMonitoringDevices").l()).extracting(AttributeValue::s)
                .containsExactly("TT-0042", "reefer-07");
        assertThat(attributes.get("plannedAt").s()).isEqualTo("2026-11-26T16:00:00Z");
        assertThat(attributes).doesNotContainKey("planConsigneeGln");
        assertThat(back).isEqualTo(state);
    }

    @Test
    void aShipmentWithoutAPlanHasNoPlanAttributesAndReadsBackWithoutOne() {
        ShipmentState state = planned(null);

        Map<String, AttributeValue> attributes = DynamoDbShipmentStateStore.SCHEMA.itemToMap(
                DynamoDbShipmentStateStore.toItem(state), true);

        assertThat(attributes.keySet()).noneMatch(k -> k.startsWith("plan"));
        assertThat(DynamoDbShipmentStateStore.toState(DynamoDbShipmentStateStore.SCHEMA.mapToItem(attributes)))
                .isEqualTo(state).extracting(ShipmentState::plan).isNull();
    }

    /** A table of one item per SSCC, counting the reads that reach it. */
    private static final class CountingTable implements DynamoDbClient {
        final Map<String, Map<String, AttributeValue>> items = new java.util.HashMap<>();
        final List<String> reads = new ArrayList<>();

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            String sscc = request.key().get("shipmentSscc").s();
            reads.add(sscc);
            Map<String, AttributeValue> item = items.get(sscc);
            return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
        }

        void put(ShipmentState s) {
            items.put(s.shipmentSscc(), DynamoDbShipmentStateStore.SCHEMA.itemToMap(DynamoDbShipmentStateStore.toItem(s),
                    true));
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private static final class SteppingClock extends Clock {
        Instant now = Instant.parse("2026-11-27T09:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theClassIsReadOncePerCacheTimeAndARevisionShowsAfterIt() {
        CountingTable table = new CountingTable();
        SteppingClock clock = new SteppingClock();
        table.put(planned(new ShipmentState.Plan("frozen", "0614141000012", "4012345000009", null, null, null, null,
                null, ISSUED, "k#r2")));
        DynamoDbShipmentPlans plans = new DynamoDbShipmentPlans(
                DynamoDbEnhancedClient.builder().dynamoDbClient(table).build(), "shipments", Duration.ofSeconds(60), clock);

        assertThat(plans.productClassOf(SSCC)).hasValue("frozen");
        assertThat(plans.productClassOf("006141410000004515")).isEmpty();
        table.put(planned(new ShipmentState.Plan("vaccines-2-8", "0614141000012", "4012345000009", null, null, null,
                null, null, ISSUED.plusSeconds(3600), "k#r3")));
        clock.now = clock.now.plusSeconds(59);
        assertThat(plans.productClassOf(SSCC)).as("within the cache time").hasValue("frozen");
        assertThat(plans.productClassOf("006141410000004515")).isEmpty();
        assertThat(table.reads).hasSize(2);

        clock.now = clock.now.plusSeconds(1); // 60 s after the first read
        assertThat(plans.productClassOf(SSCC)).hasValue("vaccines-2-8");
        assertThat(table.reads).containsExactly(SSCC, "006141410000004515", SSCC);
    }
}
