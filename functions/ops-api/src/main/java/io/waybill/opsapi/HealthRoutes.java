package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.Objects;

/** {@code GET /health}: version, time and the dead-letter depth; {@code degraded} when a gauge does not answer. */
final class HealthRoutes implements RouteFamily {
    private final DeadLetterGauge deadLetters;
    private final String version;
    private final Clock clock;

    /**
     * @param deadLetters the dead-letter queue's gauge, or null when none is configured
     * @param version     what {@code /health} reports as the version
     */
    HealthRoutes(DeadLetterGauge deadLetters, String version, Clock clock) {
        this.deadLetters = deadLetters;
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String root() {
        return "health";
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
        return call.ok(n);
    }
}
