package io.waybill.local.api;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.waybill.worker.LambdaInvocationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The local stand-in for the ops API's API Gateway HTTP API: a loopback HTTP server that turns each request into an
 * {@link APIGatewayV2HTTPEvent} (payload 2.0, {@link HttpApiPayload}), checks its bearer token with the
 * {@link JwtAuthorizer} first (a refused request never reaches the handler), places the claims and scopes at
 * {@code requestContext.authorizer.jwt}, invokes the handler Lambda runs, and writes its
 * {@link APIGatewayV2HTTPResponse} back: status, {@code headers}, {@code multiValueHeaders}, {@code cookies} (one
 * {@code Set-Cookie} each), and the body, decoded when {@code isBase64Encoded}. A handler that throws or returns
 * nothing is API Gateway's 500 {@code {"message":"Internal Server Error"}}. Every response carries
 * {@code apigw-requestid}.
 *
 * <p>Every route is behind the authorizer unless {@link RouteAuthorization} says otherwise (the dashboard page, which
 * a browser loads before it has a token, is the expected exception).
 */
public final class OpsApiGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsApiGateway.class);
    /** The function name the handler sees in its Lambda context. */
    public static final String FUNCTION_NAME = "waybill-ops-api";
    /** Lambda's and API Gateway's limit for an integration: 30 s (the handler's context counts down from it). */
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    /** Requests handled at once (the local function's concurrency). */
    public static final int CONCURRENCY = 8;
    /**
     * The JDK server's switch for {@code TCP_NODELAY} (off by default): with Nagle's algorithm on, a response's body
     * waits for the client's delayed ACK of its headers, some 40 ms per keep-alive request on loopback (bench P10
     * measured 60 ms p50 instead of 15-25 ms), a stall API Gateway does not have. Set to true unless already set.
     */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final String ARN = "arn:aws:lambda:us-east-1:" + HttpApiPayload.LOCAL_ACCOUNT_ID + ":function:"
            + FUNCTION_NAME;

    /** Which routes need a token, and which scopes (API Gateway's per-route authorizer and authorization scopes). */
    @FunctionalInterface
    public interface RouteAuthorization {
        /**
         * @return the route's authorization scopes (empty: any valid token), or null for a route without authorizer
         */
        List<String> scopesOf(String method, String rawPath);

        /** Every route behind the authorizer, with these scopes (none: any valid token). */
        static RouteAuthorization everyRoute(List<String> scopes) {
            List<String> copy = List.copyOf(scopes);
            return (method, path) -> copy;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final JwtAuthorizer authorizer;
    private final RouteAuthorization routes;
    private final Clock clock;
    private final Supplier<String> requestIds;

    private OpsApiGateway(HttpServer server, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                          JwtAuthorizer authorizer, RouteAuthorization routes, Clock clock, Supplier<String> requestIds) {
        this.server = server;
        this.handler = handler;
        this.authorizer = authorizer;
        this.routes = routes;
        this.clock = clock;
        this.requestIds = requestIds;
        this.executor = Executors.newFixedThreadPool(CONCURRENCY, r -> {
            Thread t = new Thread(r, "ops-api-gateway");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    /**
     * Starts serving on the loopback address.
     *
     * @param port 0 for any free port
     */
    public static OpsApiGateway start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                                      JwtAuthorizer authorizer, RouteAuthorization routes) throws IOException {
        return start(port, handler, authorizer, routes, Clock.systemUTC(), OpsApiGateway::newRequestId);
    }

    /** As {@link #start(int, RequestHandler, JwtAuthorizer, RouteAuthorization)} with a clock and request ids. */
    public static OpsApiGateway start(int port, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler,
                                      JwtAuthorizer authorizer, RouteAuthorization routes, Clock clock,
                                      Supplier<String> requestIds) throws IOException {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true"); // read once, when the JVM's first server starts
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        OpsApiGateway gateway = new OpsApiGateway(server, Objects.requireNonNull(handler, "handler"),
                Objects.requireNonNull(authorizer, "authorizer"), Objects.requireNonNull(routes, "routes"), clock,
                requestIds);
        server.start();
        return gateway;
    }

    /** The base URI, e.g. {@code http://127.0.0.1:PORT}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** An id shaped like API Gateway's ({@code apigw-requestid}): 16 characters ending in {@code =}. */
    static String newRequestId() {
        byte[] b = new byte[11];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().withoutPadding().encodeToString(b).substring(0, 15) + "=";
    }

    private void exchange(HttpExchange x) throws IOException {
        Instant received = clock.instant();
        String requestId = requestIds.get();
        try (x) {
            HttpApiPayload.Request request;
            try (InputStream in = x.getRequestBody()) {
                request = new HttpApiPayload.Request(x.getRequestMethod(), x.getRequestURI().getRawPath(),
                        x.getRequestURI().getRawQuery(), headersOf(x.getRequestHeaders()), in.readAllBytes(),
                        x.getProtocol(), x.getRemoteAddress().getAddress().getHostAddress(),
                        x.getLocalAddress().getPort(), requestId, received);
            }
            APIGatewayV2HTTPEvent event = HttpApiPayload.event(request);
            List<String> scopes = routes.scopesOf(request.method(), request.rawPath());
            if (scopes != null) {
                JwtAuthorizer.Decision decision = authorizer.authorize(event.getHeaders().get("authorization"), scopes,
                        received);
                if (decision instanceof JwtAuthorizer.Denied denied) {
                    LOG.info("{} {} {} refused by the JWT authorizer ({}): {}", requestId, request.method(),
                            request.rawPath(), denied.statusCode(), denied.reason());
                    Headers h = x.getResponseHeaders();
                    h.set("content-type", "application/json");
                    h.set("www-authenticate", denied.wwwAuthenticate());
                    send(x, requestId, denied.statusCode(), denied.body().getBytes(StandardCharsets.UTF_8));
                    return;
                }
                JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) decision;
                event.getRequestContext().setAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(allowed.claims()).withScopes(allowed.scopes()).build())
                        .build());
            }
            APIGatewayV2HTTPResponse response;
            try {
                response = handler.handleRequest(event, LambdaInvocationContext.builder(FUNCTION_NAME, ARN)
                        .timeout(INTEGRATION_TIMEOUT).build());
            } catch (RuntimeException | Error e) { // NOPMD - any throwable is a function error, as in Lambda
                LOG.error("{} {} {}: the handler threw", requestId, request.method(), request.rawPath(), e);
                response = null;
            }
            if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
                x.getResponseHeaders().set("content-type", "application/json");
                send(x, requestId, 500, "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            write(x, requestId, response);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot answer the request", requestId, e);
        }
    }

    private static List<Map.Entry<String, String>> headersOf(Headers headers) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        headers.forEach((name, values) -> values.forEach(v -> list.add(new AbstractMap.SimpleImmutableEntry<>(name, v))));
        return list;
    }

    private static void write(HttpExchange x, String requestId, APIGatewayV2HTTPResponse response) throws IOException {
        Headers h = x.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (value != null) {
                    h.set(name.toLowerCase(Locale.ROOT), value);
                }
            });
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> {
                if (values != null) {
                    values.forEach(v -> h.add(name.toLowerCase(Locale.ROOT), v));
                }
            });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> h.add("set-cookie", c));
        }
        String body = response.getBody();
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            LOG.error("{}: isBase64Encoded body is not base64", requestId, e);
            Headers fresh = x.getResponseHeaders();
            fresh.clear();
            fresh.set("content-type", "application/json");
            send(x, requestId, 500, "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(x, requestId, response.getStatusCode(), bytes);
    }

    private static void send(HttpExchange x, String requestId, int status, byte[] body) throws IOException {
        x.getResponseHeaders().set("apigw-requestid", requestId);
        boolean noBody = body.length == 0 || "HEAD".equals(x.getRequestMethod()) || status == 204 || status == 304;
        x.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
