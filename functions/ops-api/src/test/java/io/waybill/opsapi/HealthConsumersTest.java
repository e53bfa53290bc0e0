package io.waybill.opsapi;

import io.waybill.domain.ops.ConsumerWatermarks;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health}'s consumers: lag = now - the stream arrival of the newest processed record, worked out here. */
class HealthConsumersTest {
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    private static OpsApiHandler handler(ConsumerWatermarks watermarks, Duration threshold) {
        return new OpsApiHandler(new OpsApi(List.of(new HealthRoutes(null, "1.2.3", Clock.fixed(NOW, ZoneOffset.UTC))
                .withConsumers(watermarks, threshold))));
    }

    private static ConsumerWatermarks of(List<ConsumerWatermarks.Watermark> marks) {
        return new ConsumerWatermarks() {
            @Override
            public void advance(String consumer, Instant lastArrival, Instant processedAt) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Watermark> all() {
                return marks;
            }
        };
    }

    @Test
    void lagIsNowMinusTheNewestProcessedArrivalAndBeyondTheThresholdIsDegraded() {
        // ingest: 12:00:00 - 11:59:30 = 30 s; coldchain: 12:00:00 - 11:50:00 = 600 s
        ConsumerWatermarks marks = of(List.of(
                new ConsumerWatermarks.Watermark("coldchain", Instant.parse("2026-03-02T11:50:00Z"),
                        Instant.parse("2026-03-02T11:50:02Z")),
                new ConsumerWatermarks.Watermark("ingest", Instant.parse("2026-03-02T11:59:30Z"),
                        Instant.parse("2026-03-02T11:59:31.250Z"))));

        var body = get(handler(marks, Duration.ofSeconds(900)), "/health", null).body();
        assertThat(body.get("status").asText()).isEqualTo("ok"); // 600 s <= 900 s
        assertThat(body.get("consumers").get(0).get("consumer").asText()).isEqualTo("coldchain");
        assertThat(body.get("consumers").get(0).get("lagSeconds").asLong()).isEqualTo(600);
        assertThat(body.get("consumers").get(1).get("lagSeconds").asLong()).isEqualTo(30);
        assertThat(body.get("consumers").get(1).get("lastProcessedAt").asText()).isEqualTo("2026-03-02T11:59:31.250Z");

        assertThat(get(handler(marks, Duration.ofSeconds(300)), "/health", null).body().get("status").asText())
                .isEqualTo("degraded"); // 600 s > 300 s
    }

    @Test
    void unreadableWatermarksAreDegradedNotAnError() {
        ConsumerWatermarks broken = new ConsumerWatermarks() {
            @Override
            public void advance(String consumer, Instant lastArrival, Instant processedAt) {
            }

            @Override
            public List<Watermark> all() {
                throw new IllegalStateException("table not found");
            }
        };
        Reply r = get(handler(broken, Duration.ofSeconds(300)), "/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asText()).isEqualTo("degraded");
        assertThat(r.body().get("consumersUnavailable").asText()).isEqualTo("table not found");
    }
}
