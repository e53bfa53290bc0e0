package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ops.ConsumerWatermarks;
import io.waybill.domain.ops.SourceWatermarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code GET /health}: version, time and the dead-letter depth; {@code degraded} when a gauge does not answer. With
 * the consumer watermarks configured, also each stream consumer's lag (now minus the stream arrival of the newest
 * record it processed) and when it last processed a batch; {@code degraded} when a lag exceeds the threshold or the
 * watermarks cannot be read. With the source marks configured, also the last event per source (adapter): its event
 * time, its stream arrival, how long the source has been silent and whether that is longer than the stale threshold
 * ({@code stale: true} lists it; it does not make {@code /health} degraded, see {@link #DEFAULT_SOURCE_STALE_AFTER}).
 */
final class HealthRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "health";
    /**
     * A source whose newest event time is older than this is listed {@code stale}. One hour: device fleets report
     * every few minutes (edge summaries every minute or so, vendor loggers every 5-15 min), so an hour without one
     * event from a whole fleet is worth a look. Staleness does not degrade {@code /health}: a source is quiet for
     * reasons outside Waybill (no shipments on the road, an RFID portal with no pallets passing, a partner that sends
     * when a shipment moves, a reefer offline at sea that will forward later); {@code degraded} stays about Waybill's
     * own pipeline (consumer lag, dead letters, unreadable gauges).
     */
    static final Duration DEFAULT_SOURCE_STALE_AFTER = Duration.ofHours(1);

    private final DeadLetterGauge deadLetters;
    private final String version;
    private final Clock clock;
    private final ConsumerWatermarks watermarks;
    private final Duration lagThreshold;
    private final SourceWatermarks sources;
    private final Duration staleAfter;

    /**
     * @param deadLetters the dead-letter queue's gauge, or null when none is configured
     * @param version     what {@code /health} reports as the version
     */
    HealthRoutes(DeadLetterGauge deadLetters, String version, Clock clock) {
        this(deadLetters, version, clock, null, null, null, null);
    }

    private HealthRoutes(DeadLetterGauge deadLetters, String version, Clock clock, ConsumerWatermarks watermarks,
                         Duration lagThreshold, SourceWatermarks sources, Duration staleAfter) {
        this.deadLetters = deadLetters;
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.watermarks = watermarks;
        this.lagThreshold = lagThreshold;
        this.sources = sources;
        this.staleAfter = staleAfter;
    }

    /** These routes reporting the consumers' lag too; degraded beyond {@code lagThreshold}. */
    HealthRoutes withConsumers(ConsumerWatermarks watermarks, Duration lagThreshold) {
        return new HealthRoutes(deadLetters, version, clock, Objects.requireNonNull(watermarks, "watermarks"),
                Objects.requireNonNull(lagThreshold, "lagThreshold"), sources, staleAfter);
    }

    /** These routes reporting the last event per source too; a source silent longer than {@code staleAfter} is stale. */
    HealthRoutes withSources(SourceWatermarks sources, Duration staleAfter) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive: " + staleAfter);
        }
        return new HealthRoutes(deadLetters, version, clock, watermarks, lagThreshold,
                Objects.requireNonNull(sources, "sources"), staleAfter);
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
        if (sources != null) {
            sources(n);
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

    private void sources(ObjectNode n) {
        Instant now = clock.instant();
        ArrayNode out = n.putArray("sources");
        try {
            for (SourceWatermarks.Mark m : sources.all()) {
                long silent = Math.max(0, Duration.between(m.lastEventAt(), now).toSeconds());
                ObjectNode s = out.addObject();
                s.put("source", m.source());
                s.put("lastEventAt", m.lastEventAt().toString());
                if (m.lastArrivalAt() != null) {
                    s.put("lastArrivalAt", m.lastArrivalAt().toString());
                }
                s.put("silentSeconds", silent);
                s.put("stale", silent > staleAfter.toSeconds());
            }
        } catch (RuntimeException e) {
            n.put("status", "degraded");
            n.put("sourcesUnavailable", String.valueOf(e.getMessage()));
        }
    }
}
