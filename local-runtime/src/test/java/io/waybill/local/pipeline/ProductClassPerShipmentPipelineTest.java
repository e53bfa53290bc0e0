package io.waybill.local.pipeline;

import io.waybill.aws.coldchain.DynamoDbEvidenceStore;
import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ExposureStatus;
import io.waybill.domain.coldchain.ShipmentExposure;
import io.waybill.domain.decision.ColdChainLoop;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One stage, several product classes: each shipment is judged under the class its {@code ShipmentPlanned} names, and a
 * shipment without a plan under the default, flagged UNCLASSIFIED. The same -20 °C is normal for frozen goods and a
 * critical breach for chilled biologics. The chilled shipment has two loggers whose readings go to different raw
 * shards (keyed by device); the canonical stream is keyed by shipment, and the decision sees both probes. Expected
 * verdicts worked out by hand from the presets' policies (frozen: at most -18 °C; chilled: 2-8 °C, hard low 0 °C).
 */
@Timeout(150)
class ProductClassPerShipmentPipelineTest {
    private static final String FROZEN = "106141410000001016";
    private static final String CHILLED = "106141410000001023";
    private static final String UNPLANNED = "106141410000001030";
    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    private static byte[] plan(String planId, String sscc, String productClass) {
        return String.format(Locale.ROOT, "{\"wb_route\":\"waybill-plan/ACME-TMS\",\"wb_received_ms\":%d,"
                + "\"planId\":\"%s\",\"revision\":1,\"issuedAt\":\"2026-03-01T17:00:00Z\",\"sscc\":\"%s\","
                + "\"productClass\":\"%s\",\"origin\":{\"gln\":\"0614141000012\"},"
                + "\"destination\":{\"gln\":\"4012345000009\"}}", T0.toEpochMilli() - 3_600_000, planId, sscc,
                productClass).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] reading(String device, String sscc, int minute, double celsius) {
        long at = T0.plusSeconds(60L * minute).toEpochMilli();
        return String.format(Locale.ROOT, "{\"wb_route\":\"coldchainco/%s\",\"wb_received_ms\":%d,"
                + "\"msgId\":\"%s-%d\",\"device\":{\"id\":\"%s\"},\"shipment\":{\"sscc\":\"%s\"},"
                + "\"reading\":{\"at\":%d,\"celsius\":%.1f}}", device, at + 500, device, minute, device, sscc, at,
                celsius).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachShipmentIsJudgedUnderItsOwnPlannedClassAndAnUnplannedOneIsFlagged() throws Exception {
        List<ColdChainLoop.Outcome> batches = new CopyOnWriteArrayList<>();
        try (LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
             LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                     .names(PipelineNames.withPrefix("pc" + Long.toHexString(System.nanoTime())))
                     .shards(2).coldChain(ColdChainConfig.builder().confirmAfter(Duration.ZERO).build(), batches::add)
                     .deploy()) {
            // the plans first (a shipment's plan precedes its trip), until the projection holds them
            pipeline.publish(List.of(plan("PLN-1", FROZEN, "frozen"), plan("PLN-2", CHILLED, "chilled-biologics-2-8")),
                    List.of("ACME-TMS", "ACME-TMS"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && (pipeline.shipments().get(FROZEN) == null
                    || pipeline.shipments().get(CHILLED) == null)) {
                Thread.sleep(200);
            }
            assertThat(pipeline.shipments().get(FROZEN).plan().productClass()).isEqualTo("frozen");

            // 30 readings a minute apart each: frozen at -20 °C; chilled: logger A at -20 °C, logger B at 5 °C;
            // unplanned: 5 °C
            List<byte[]> payloads = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int m = 0; m < 30; m++) {
                payloads.add(reading("CC-0101", FROZEN, m, -20.0));
                keys.add("CC-0101");
                payloads.add(reading("CC-0201", CHILLED, m, -20.0));
                keys.add("CC-0201");
                payloads.add(reading("CC-0202", CHILLED, m, 5.0));
                keys.add("CC-0202");
                payloads.add(reading("CC-0301", UNPLANNED, m, 5.0));
                keys.add("CC-0301");
            }
            pipeline.publish(payloads, keys);

            DynamoDbEvidenceStore store = new DynamoDbEvidenceStore(DynamoDbEnhancedClient.builder()
                    .dynamoDbClient(stack.clients().dynamoDb()).build(), pipeline.names().exposureTable());
            deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && (evidence(store, FROZEN) < 30 || evidence(store, CHILLED) < 60
                    || evidence(store, UNPLANNED) < 30)) {
                Thread.sleep(250);
            }
            pipeline.coldChainMapping().awaitIdle(Duration.ofSeconds(5));

            ShipmentExposure frozen = store.exposure(FROZEN).orElseThrow();
            assertThat(frozen.productClass()).isEqualTo("frozen");
            assertThat(frozen.standing().status()).isEqualTo(ExposureStatus.NORMAL);

            ShipmentExposure chilled = store.exposure(CHILLED).orElseThrow();
            assertThat(chilled.productClass()).isEqualTo("chilled-biologics-2-8");
            assertThat(chilled.probes()).containsOnlyKeys("CC-0201", "CC-0202");
            assertThat(chilled.standing().status()).isEqualTo(ExposureStatus.BREACHED);
            assertThat(chilled.standing().worstProbe()).isEqualTo("CC-0201");
            // 29 holds of 60 s below 2 °C on logger A
            assertThat(chilled.standing().torSeconds()).isEqualTo(29 * 60.0);

            ShipmentExposure unplanned = store.exposure(UNPLANNED).orElseThrow();
            assertThat(unplanned.standing().status()).isEqualTo(ExposureStatus.ATTENTION);
            assertThat(batches.stream().flatMap(b -> b.decisions().stream())
                    .filter(d -> d.shipmentSscc().equals(UNPLANNED))).isNotEmpty()
                    .allMatch(d -> d.unclassified());
            assertThat(batches.stream().flatMap(b -> b.decisions().stream())
                    .filter(d -> d.shipmentSscc().equals(FROZEN))).allMatch(d -> !d.unclassified() && !d.breached());
        }
    }

    private static int evidence(DynamoDbEvidenceStore store, String sscc) {
        return store.exposure(sscc).map(ShipmentExposure::evidence).orElse(0);
    }
}
