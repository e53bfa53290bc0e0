package io.waybill.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.waybill.local.api.HttpApiPayload;
import io.waybill.local.api.LocalJwtAuthority;
import io.waybill.local.api.OpenApiRouteAuthorization;
import io.waybill.local.api.OpsApiGateway;
import io.waybill.worker.LambdaInvocationContext;
import io.waybill.local.demo.Percentiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * P10's measurement: each read route of the ops API's document ({@link ReadRoutePlan}) called over HTTP on the local
 * gateway with a bearer token, so every call is HTTP -> JWT check -> handler -> emulator. One client, one call at a
 * time, keep-alive: the latency of one request, not of a queue. A route is warmed up first; a call that does not
 * answer 200 stops the route's measurement with the status as its reason. The baseline, in the same loop: the same
 * handler invoked in this JVM with the event the gateway would pass (handler -> emulator only).
 */
public final class ReadRouteLatency {
    /**
     * @param micros       the latencies of the measured calls over HTTP, microseconds
     * @param directMicros the same path's latencies with the handler invoked in this JVM (no HTTP, no JWT check):
     *                     the baseline that shows what the gateway hop adds
     */
    public record Row(ReadRoutePlan.Route route, String path, List<Long> micros, List<Long> directMicros,
                      String skipped) {
        public Percentiles percentiles() {
            return Percentiles.of(micros);
        }

        public Percentiles direct() {
            return Percentiles.of(directMicros);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;

    /**
     * @param base    the gateway's base URI
     * @param token   a bearer token the gateway accepts
     * @param handler the handler behind the gateway, invoked directly for the baseline
     */
    public ReadRouteLatency(URI base, String token,
                            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {
        this.base = base;
        this.token = token;
        this.handler = handler;
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
                rows.add(new Row(skip.route(), skip.route().template(), List.of(), List.of(), skip.reason()));
                continue;
            }
            ReadRoutePlan.Call call = (ReadRoutePlan.Call) target;
            rows.add(measure(call, warmup, calls));
        }
        return rows;
    }

    private Row measure(ReadRoutePlan.Call call, int warmup, int calls) {
        List<Long> micros = new ArrayList<>(calls);
        List<Long> direct = new ArrayList<>(calls);
        Context context = LambdaInvocationContext.builder(OpsApiGateway.FUNCTION_NAME, "arn:aws:lambda:us-east-1:"
                + HttpApiPayload.LOCAL_ACCOUNT_ID + ":function:" + OpsApiGateway.FUNCTION_NAME).build();
        for (int i = 0; i < warmup + calls; i++) { // alternate, so drift hits both alike
            long start = System.nanoTime();
            HttpResponse<byte[]> r = send(call.path());
            long elapsed = (System.nanoTime() - start) / 1_000;
            if (r.statusCode() != 200) {
                return new Row(call.route(), call.path(), List.of(), List.of(), "GET " + call.path() + " answered "
                        + r.statusCode());
            }
            APIGatewayV2HTTPEvent event = event(call.path());
            start = System.nanoTime();
            APIGatewayV2HTTPResponse d = handler.handleRequest(event, context);
            long directElapsed = (System.nanoTime() - start) / 1_000;
            if (d.getStatusCode() != 200) {
                return new Row(call.route(), call.path(), List.of(), List.of(), "GET " + call.path()
                        + " answered " + d.getStatusCode() + " when invoked directly");
            }
            if (i >= warmup) {
                micros.add(elapsed);
                direct.add(directElapsed);
            }
        }
        return new Row(call.route(), call.path(), micros, direct, null);
    }

    /** The event the gateway would pass for a GET with a reader's token (claims as the authorizer places them). */
    private static APIGatewayV2HTTPEvent event(String rawPath) {
        APIGatewayV2HTTPEvent event = HttpApiPayload.event(new HttpApiPayload.Request("GET", rawPath, null,
                List.of(Map.entry("accept", "application/json")), null, "HTTP/1.1", "127.0.0.1", 8787,
                "bench-p10", Instant.now()));
        event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                        .withClaims(Map.of("sub", "bench", "scope", LocalJwtAuthority.READ_SCOPE, "token_use", "access"))
                        .withScopes(List.of(LocalJwtAuthority.READ_SCOPE)).build()).build());
        return event;
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
