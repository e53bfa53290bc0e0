package io.waybill.local.partner;

import io.waybill.aws.partner.DynamoDbShipmentParties;
import io.waybill.aws.partner.PartnerEgressEnvironment;
import io.waybill.aws.partner.PartnerTables;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.EventType;
import io.waybill.domain.event.ShipmentDeparted;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The egress projection expires (dynalite): a held event and a settled marker carry {@code expiresAt} = write time +
 * retention in epoch seconds, party rows do not. Written at 2026-03-01T00:00:00Z (1772323200) with the default 35
 * days: 1772323200 + 35 * 86400 = 1775347200 (2026-04-05T00:00:00Z); with WAYBILL_PARTNER_RETENTION_DAYS=2:
 * 1772323200 + 172800 = 1772496000.
 */
@Timeout(120)
class PartnerProjectionExpiryTest {
    private static final String TABLE = "partners-expiry-test";
    private static final String SSCC = "340123450000000017";
    private static final Instant WRITTEN = Instant.parse("2026-03-01T00:00:00Z");
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(PartnerTables.table(TABLE));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Map<String, AttributeValue> item(String sk) {
        return stack.clients().dynamoDb().getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(
                PartnerTables.PK, AttributeValue.fromS(PartnerTables.SHIPMENT + SSCC),
                PartnerTables.SK, AttributeValue.fromS(sk)))).item();
    }

    private static DynamoDbShipmentParties parties(Map<String, String> env) {
        PartnerEgressEnvironment settings = PartnerEgressEnvironment.fromEnvironment(env);
        return new DynamoDbShipmentParties(stack.clients().dynamoDb(), TABLE, Clock.fixed(WRITTEN, ZoneOffset.UTC),
                settings.retention());
    }

    private static Map<String, String> env(String retentionDays) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("WAYBILL_PARTNER_BUS", "bus",
                "WAYBILL_PARTNER_TABLE", TABLE, "WAYBILL_PARTNER_DLQ_URL", "http://dlq"));
        if (retentionDays != null) {
            env.put("WAYBILL_PARTNER_RETENTION_DAYS", retentionDays);
        }
        return env;
    }

    @Test
    void heldEventsAndSettledMarkersExpireThirtyFiveDaysAfterTheirWriteByDefault() {
        DynamoDbShipmentParties parties = parties(env(null));
        CanonicalEvent departed = new CanonicalEvent("evt-1", "urn:waybill:test:1", EventType.SHIPMENT_DEPARTED.type(),
                WRITTEN, SSCC, WRITTEN, null, null, WRITTEN, 0, false, "test", null,
                new ShipmentDeparted(SSCC, "4012345000023", null, null, null));
        parties.keep(SSCC, departed);
        parties.settle(SSCC, "northwind-3pl", "evt-1");
        parties.addParties(SSCC, Set.of("4012345000009"));

        assertThat(item(PartnerTables.EVENT + "evt-1").get("expiresAt")).isEqualTo(AttributeValue.fromN("1775347200"));
        assertThat(item(PartnerTables.SETTLED + "northwind-3pl#evt-1").get("expiresAt"))
                .isEqualTo(AttributeValue.fromN("1775347200"));
        assertThat(item(PartnerTables.PARTY + "4012345000009")).isNotEmpty().doesNotContainKey("expiresAt");
        // The adapter still reads the file back with the new attribute present.
        assertThat(parties.file(SSCC).events()).extracting(CanonicalEvent::id).containsExactly("evt-1");
    }

    @Test
    void theRetentionIsTheFunctionsSetting() {
        parties(env("2")).settle(SSCC, "other-3pl", "evt-2");
        assertThat(item(PartnerTables.SETTLED + "other-3pl#evt-2").get("expiresAt"))
                .isEqualTo(AttributeValue.fromN("1772496000"));
        assertThatThrownBy(() -> PartnerEgressEnvironment.fromEnvironment(env("0")))
                .hasMessageContaining("WAYBILL_PARTNER_RETENTION_DAYS");
    }
}
