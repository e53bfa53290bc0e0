package io.waybill.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.waybill.local.api.OpenApiRouteAuthorization;
import io.waybill.local.demo.Percentiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * P10's measurement: each read route of the ops API's document ({@link ReadRoutePlan}) called over HTTP on the local
 * gateway with a bearer token, so every call is HTTP -> JWT check -> handler -> emulator. One client, one call at a
 * time, keep-alive: the latency of one request, not of a queue. A route is warmed up first; a call that does not
 * answer 200 stops the route's measurement with the status as its reason.
 */
public final class ReadRouteLatency {
    /** @param micros the latencies of the measured calls, microseconds */
    public record Row(ReadRoutePlan.Route route, String path, List<Long> micros, String skipped) {
        public Percentiles percentiles() {
            return Percentiles.of(micros);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public ReadRouteLatency(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The ops API's document from the class path (the one the gateway authorizes by). */
    public static ReadRoutePlan opsApiPlan() {
        try (InputStream in = ReadRouteLatency.class.getClassLoader()
                .getResourceAsStream(OpenApiRouteAuthorization.OPS_API_DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(OpenApiRouteAuthorization.OPS_API_DOCUMENT + " is not on the class path");
            }
            return ReadRoutePlan.of(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Row> measure(ReadRoutePlan plan, int warmup, int calls) {
        List<Row> rows = new ArrayList<>();
        for (ReadRoutePlan.Target target : plan.resolve(this::json)) {
            if (target instanceof ReadRoutePlan.Skip skip) {
                rows.add(new Row(skip.route(), skip.route().template(), List.of(), skip.reason()));
                continue;
            }
            ReadRoutePlan.Call call = (ReadRoutePlan.Call) target;
            rows.add(measure(call, warmup, calls));
        }
        return rows;
    }

    private Row measure(ReadRoutePlan.Call call, int warmup, int calls) {
        List<Long> micros = new ArrayList<>(calls);
        for (int i = 0; i < warmup + calls; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> r = send(call.path());
            long elapsed = (System.nanoTime() - start) / 1_000;
            if (r.statusCode() != 200) {
                return new Row(call.route(), call.path(), List.of(), "GET " + call.path() + " answered "
                        + r.statusCode());
            }
            if (i >= warmup) {
                micros.add(elapsed);
            }
        }
        return new Row(call.route(), call.path(), micros, null);
    }

    private Optional<JsonNode> json(String rawPath) {
        HttpResponse<byte[]> r = send(rawPath);
        if (r.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private HttpResponse<byte[]> send(String rawPath) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + rawPath)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + rawPath + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
