package io.waybill.local.coldchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.coldchain.DynamoDbIncidentStore;
import io.waybill.domain.incident.IncidentStatus;
import io.waybill.domain.incident.ShipmentIncident;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;

/**
 * The incidents' indexes sort by {@code openedAt} as text, so the stored text must sort as the instants do. With
 * {@code Instant.toString()} an incident opened at 10:00:00.380 was stored as {@code ...00.380Z}, which sorts before
 * {@code ...00Z}, and the backlog reported the later incident as the oldest.
 */
@Timeout(60)
class IncidentIndexOrderTest {
    private static final String TABLE = "incident-order-test";
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(ColdChainTables.incidents(TABLE));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void oldestOpenIncidentIsTheOneOpenedFirstEvenWithinOneSecond() {
        DynamoDbIncidentStore store = new DynamoDbIncidentStore(
                DynamoDbEnhancedClient.builder().dynamoDbClient(stack.clients().dynamoDb()).build(), TABLE);
        // opened later in the same second, stored first
        store.open(incident("cold-chain/306141410070000012/frozen", "2026-12-02T10:00:00.380Z"), "{}");
        store.open(incident("cold-chain/306141410070000005/frozen", "2026-12-02T10:00:00Z"), "{}");
        store.open(incident("cold-chain/306141410070000029/frozen", "2026-12-02T09:59:59.999Z"), "{}");

        DynamoDbIncidentStore.Backlog open = store.backlog(IncidentStatus.OPEN);
        assertThat(open.count()).isEqualTo(3);
        assertThat(open.oldest()).get().extracting(ShipmentIncident::openedAt)
                .isEqualTo(Instant.parse("2026-12-02T09:59:59.999Z"));

        store.resolve("cold-chain/306141410070000029/frozen", Instant.parse("2026-12-02T11:00:00Z"), "released");
        assertThat(store.backlog(IncidentStatus.OPEN).oldest()).get().extracting(ShipmentIncident::incidentId)
                .isEqualTo("cold-chain/306141410070000005/frozen");
    }

    private static ShipmentIncident incident(String id, String openedAt) {
        String sscc = id.split("/")[1];
        return ShipmentIncident.open(id, sscc, "COLD_CHAIN_BREACH", "MAJOR", "test", Instant.parse(openedAt),
                Instant.parse(openedAt), 0);
    }
}
