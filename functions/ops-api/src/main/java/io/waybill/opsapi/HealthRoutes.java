package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ops.ConsumerWatermarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code GET /health}: version, time and the dead-letter depth; {@code degraded} when a gauge does not answer. With
 * the consumer watermarks configured, also each stream consumer's lag (now minus the stream arrival of the newest
 * record it processed) and when it last processed a batch; {@code degraded} when a lag exceeds the threshold or the
 * watermarks cannot be read.
 */
final class HealthRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "health";
    private final DeadLetterGauge deadLetters;
    private final String version;
    private final Clock clock;
    private final ConsumerWatermarks watermarks;
    private final Duration lagThreshold;

    /**
     * @param deadLetters the dead-letter queue's gauge, or null when none is configured
     * @param version     what {@code /health} reports as the version
     */
    HealthRoutes(DeadLetterGauge deadLetters, String version, Clock clock) {
        this(deadLetters, version, clock, null, null);
    }

    private HealthRoutes(DeadLetterGauge deadLetters, String version, Clock clock, ConsumerWatermarks watermarks,
                         Duration lagThreshold) {
        this.deadLetters = deadLetters;
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watermarks = watermarks;
        this.lagThreshold = lagThreshold;
    }

    /** These routes reporting the consumers' lag too; degraded beyond {@code lagThreshold}. */
    HealthRoutes withConsumers(ConsumerWatermarks watermarks, Duration lagThreshold) {
        return new HealthRoutes(deadLetters, version, clock, Objects.requireNonNull(watermarks, "watermarks"),
                Objects.requireNonNull(lagThreshold, "lagThreshold"));
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() != 1) {
            return null;
        }
        call.allow("GET", Caller.READ);
        return health(call);
    }

    private ApiResponse health(Call call) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("status", "ok");
        n.put("version", version);
        n.put("time", clock.instant().toString());
        if (deadLetters != null) {
            ObjectNode dl = n.putObject("deadLetters");
            dl.put("queueUrl", deadLetters.queueUrl());
            try {
                dl.put("approximateDepth", deadLetters.approximateDepth());
            } catch (RuntimeException e) {
                n.put("status", "degraded");
                dl.put("unavailable", String.valueOf(e.getMessage()));
            }
        }
        if (watermarks != null) {
            consumers(n);
        }
        return call.ok(n);
    }

    private void consumers(ObjectNode n) {
        Instant now = clock.instant();
        ArrayNode consumers = n.putArray("consumers");
        try {
            for (ConsumerWatermarks.Watermark w : watermarks.all()) {
                long lag = Math.max(0, Duration.between(w.lastArrival(), now).toSeconds());
                ObjectNode c = consumers.addObject();
                c.put("consumer", w.consumer());
                c.put("lagSeconds", lag);
                c.put("lastProcessedAt", w.lastProcessedAt().toString());
                if (lag > lagThreshold.toSeconds()) {
                    n.put("status", "degraded");
                }
            }
        } catch (RuntimeException e) {
            n.put("status", "degraded");
            n.put("consumersUnavailable", String.valueOf(e.getMessage()));
        }
    }
}
