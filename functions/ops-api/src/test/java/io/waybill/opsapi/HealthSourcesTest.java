package io.waybill.opsapi;

import io.waybill.domain.ops.ConsumerWatermarks;
import io.waybill.domain.ops.SourceWatermarks;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health}'s sources: silent = now - the newest event time; stale beyond the threshold, never degraded. */
class HealthSourcesTest {
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    private static OpsApiHandler handler(SourceWatermarks sources, Duration staleAfter) {
        ConsumerWatermarks none = new ConsumerWatermarks() {
            @Override
            public void advance(String consumer, Instant lastArrival, Instant processedAt) {
            }

            @Override
            public List<Watermark> all() {
                return List.of();
            }
        };
        return new OpsApiHandler(new OpsApi(List.of(new HealthRoutes(null, "1.2.3", Clock.fixed(NOW, ZoneOffset.UTC))
                .withConsumers(none, Duration.ofSeconds(300)).withSources(sources, staleAfter))));
    }

    private static SourceWatermarks of(List<SourceWatermarks.Mark> marks) {
        return new SourceWatermarks() {
            @Override
            public void advance(Mark mark) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Mark> all() {
                return marks;
            }
        };
    }

    @Test
    void silenceIsNowMinusTheNewestEventTimeAndBeyondTheThresholdIsStaleButNotDegraded() {
        SourceWatermarks marks = of(List.of(
                // swiftlog: 12:00:00 - 09:30:00 = 2 h 30 min = 9000 s > 3600 s: stale
                new SourceWatermarks.Mark("swiftlog", Instant.parse("2026-03-02T09:30:00Z"), null),
                // thermotrack: 12:00:00 - 11:59:15 = 45 s; arrived 11:59:20.5
                new SourceWatermarks.Mark("thermotrack", Instant.parse("2026-03-02T11:59:15Z"),
                        Instant.parse("2026-03-02T11:59:20.500Z"))));

        var body = get(handler(marks, Duration.ofHours(1)), "/health", null).body();
        assertThat(body.get("status").asText()).isEqualTo("ok");
        var swiftlog = body.get("sources").get(0);
        assertThat(swiftlog.get("source").asText()).isEqualTo("swiftlog");
        assertThat(swiftlog.get("lastEventAt").asText()).isEqualTo("2026-03-02T09:30:00Z");
        assertThat(swiftlog.has("lastArrivalAt")).isFalse();
        assertThat(swiftlog.get("silentSeconds").asLong()).isEqualTo(9000);
        assertThat(swiftlog.get("stale").asBoolean()).isTrue();
        var thermotrack = body.get("sources").get(1);
        assertThat(thermotrack.get("lastArrivalAt").asText()).isEqualTo("2026-03-02T11:59:20.500Z");
        assertThat(thermotrack.get("silentSeconds").asLong()).isEqualTo(45);
        assertThat(thermotrack.get("stale").asBoolean()).isFalse();
    }

    @Test
    void aSourceExactlyAtTheThresholdIsNotYetStale() {
        // 12:00:00 - 11:00:00 = 3600 s, not more than 3600 s
        SourceWatermarks marks = of(List.of(
                new SourceWatermarks.Mark("frostbyte", Instant.parse("2026-03-02T11:00:00Z"), null)));
        var body = get(handler(marks, Duration.ofHours(1)), "/health", null).body();
        assertThat(body.get("sources").get(0).get("silentSeconds").asLong()).isEqualTo(3600);
        assertThat(body.get("sources").get(0).get("stale").asBoolean()).isFalse();
        // with a 59 min threshold, 3600 s > 3540 s
        assertThat(get(handler(marks, Duration.ofMinutes(59)), "/health", null).body()
                .get("sources").get(0).get("stale").asBoolean()).isTrue();
    }

    @Test
    void unreadableSourceMarksAreDegradedNotAnError() {
        SourceWatermarks broken = new SourceWatermarks() {
            @Override
            public void advance(Mark mark) {
            }

            @Override
            public List<Mark> all() {
                throw new IllegalStateException("scan throttled");
            }
        };
        Reply r = get(handler(broken, Duration.ofHours(1)), "/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("status").asText()).isEqualTo("degraded");
        assertThat(r.body().get("sourcesUnavailable").asText()).isEqualTo("scan throttled");
    }
}
