package io.waybill.modelserver.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.waybill.modelserver.deepar.BadRequest;
import io.waybill.modelserver.deepar.Invocations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * SageMaker's bring-your-own-container hosting contract on the JDK's HTTP server (no framework, fast start):
 * <ul>
 *   <li>{@code GET /ping}: 200 as soon as the socket is bound (no model to load).</li>
 *   <li>{@code POST /invocations}: DeepAR-format JSON in, DeepAR-format JSON out ({@link Invocations}).</li>
 *   <li>{@code POST /endpoints/{name}/invocations}: the same, for the SageMaker runtime client pointed at a local server
 *       with {@code endpointOverride}; the endpoint name and SigV4 headers are ignored.</li>
 * </ul>
 * Errors are {@code {"message": ...}} with 400 (bad request), 404 (unknown path), 405 (wrong method), 413 (body over
 * {@link #MAX_BODY_BYTES} or a request too large to answer), 415 (a Content-Type other than JSON), 503 (busy or over
 * {@link #INVOCATION_TIMEOUT_SECONDS}) and 500 (unexpected, without details). Requests are handled on a bounded pool
 * of {@link #WORKERS} threads with a queue of {@link #QUEUE} (503 when full).
 */
public final class ModelServer implements AutoCloseable {

    /** SageMaker's real-time payload limit; serverless allows 4 MB. */
    public static final int MAX_BODY_BYTES = 6 * 1024 * 1024;
    /** Each invocation is answered within this many seconds (SageMaker allows 60). */
    public static final int INVOCATION_TIMEOUT_SECONDS = 50;
    public static final int DEFAULT_PORT = 8080;
    static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    static final int QUEUE = 64;
    /**
     * Invocations admitted at once (fitting, or queued for a worker); more are answered 503 at once. The request pool
     * has {@link #SPARE_THREADS} threads beyond these, so {@code /ping} is answered while every admitted invocation is
     * busy: SageMaker replaces a container whose ping goes unanswered.
     */
    static final int IN_FLIGHT = WORKERS * 4;
    static final int SPARE_THREADS = 4;
    private static final Pattern ENDPOINT_PATH = Pattern.compile("/endpoints/[^/]+/invocations/?");

    private final HttpServer server;
    private final ExecutorService requests;
    private final ExecutorService work;
    private final Invocations invocations;
    private final java.util.concurrent.Semaphore admitted = new java.util.concurrent.Semaphore(IN_FLIGHT);

    private ModelServer(HttpServer server, ExecutorService requests, ExecutorService work, Invocations invocations) {
        this.server = server;
        this.requests = requests;
        this.work = work;
        this.invocations = invocations;
    }

    /** Starts a server with the standard method on the address (port 0 picks a free port). */
    public static ModelServer start(InetSocketAddress address) throws IOException {
        return start(address, Invocations.standard());
    }

    public static ModelServer start(InetSocketAddress address, Invocations invocations) throws IOException {
        HttpServer server = HttpServer.create(address, 128);
        ExecutorService requests = pool("http", IN_FLIGHT + SPARE_THREADS, QUEUE);
        ExecutorService work = pool("invocation", WORKERS, IN_FLIGHT);
        ModelServer modelServer = new ModelServer(server, requests, work, invocations);
        server.createContext("/", modelServer::handle);
        server.setExecutor(requests);
        server.start();
        return modelServer;
    }

    private static ExecutorService pool(String name, int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "model-server-" + name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        requests.shutdownNow();
        work.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (path.equals("/ping")) {
                if (method.equals("GET") || method.equals("HEAD")) {
                    send(exchange, 200, "{\"status\":\"healthy\"}");
                } else {
                    exchange.getResponseHeaders().set("Allow", "GET");
                    error(exchange, 405, "use GET /ping");
                }
                return;
            }
            if (!path.equals("/invocations") && !ENDPOINT_PATH.matcher(path).matches()) {
                error(exchange, 404, "no such path: use GET /ping or POST /invocations");
                return;
            }
            if (!method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                error(exchange, 405, "use POST " + path);
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null && !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                error(exchange, 415, "Content-Type must be application/json, got " + contentType);
                return;
            }
            if (!admitted.tryAcquire()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                error(exchange, 503, "busy: " + IN_FLIGHT + " invocations in flight, retry");
                return;
            }
            try {
                byte[] body = readLimited(exchange.getRequestBody());
                if (body == null) {
                    error(exchange, 413, "the body exceeds " + MAX_BODY_BYTES + " bytes");
                    return;
                }
                invoke(exchange, new String(body, StandardCharsets.UTF_8));
            } finally {
                admitted.release();
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            log("error", "unexpected failure: " + e.getClass().getName());
            try {
                error(exchange, 500, "internal error");
            } catch (IOException | RuntimeException ignored) {
                // the response may already be under way
            }
        }
    }

    private void invoke(HttpExchange exchange, String body) throws IOException {
        Future<String> answer;
        try {
            answer = work.submit(() -> invocations.invoke(body));
        } catch (RejectedExecutionException e) {
            error(exchange, 503, "busy: too many invocations in flight, retry");
            return;
        }
        try {
            send(exchange, 200, answer.get(INVOCATION_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            answer.cancel(true);
            error(exchange, 503, "the invocation took longer than " + INVOCATION_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(exchange, 503, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BadRequest bad) {
                error(exchange, bad.status(), bad.getMessage());
            } else {
                log("error", "invocation failed: " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
                error(exchange, 500, "internal error");
            }
        }
    }

    /** The body, or null when it is longer than the limit. */
    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) != -1) {
            out.write(buffer, 0, read);
            if (out.size() > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
        }
        return out.toByteArray();
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("message", message);
        send(exchange, status, body.toString());
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void log(String level, String message) {
        ObjectNode line = JsonNodeFactory.instance.objectNode().put("time", Instant.now().toString()).put("level", level)
                .put("logger", "model-server").put("message", message);
        System.out.println(line);
    }

    /**
     * {@code serve [--port N]} (SageMaker runs the container as {@code docker run image serve}; the port defaults to
     * 8080), or {@code forecast}: read one invocation body from stdin, print the response body (exit 2 on a bad
     * request, the message on stderr).
     */
    public static void main(String[] args) throws IOException {
        long started = System.nanoTime();
        int port = DEFAULT_PORT;
        String command = "serve";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "serve" -> command = "serve";
                case "forecast" -> command = "forecast";
                case "--port" -> {
                    if (i + 1 >= args.length) {
                        usage("--port needs a number");
                    }
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--port needs a number, got " + args[i]);
                    }
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (command.equals("forecast")) {
            String body = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            try {
                System.out.println(Invocations.standard().invoke(body));
            } catch (BadRequest e) {
                System.err.println(JsonNodeFactory.instance.objectNode().put("message", e.getMessage()));
                System.exit(2);
            }
            return;
        }
        ModelServer server = start(new InetSocketAddress(port));
        ObjectNode ready = JsonNodeFactory.instance.objectNode().put("time", Instant.now().toString()).put("level", "info")
                .put("logger", "model-server").put("message", "ready").put("port", server.port())
                .put("startMillis", (System.nanoTime() - started) / 1_000_000);
        System.out.println(ready);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        try {
            Thread.currentThread().join(); // serve until the process is stopped (SIGTERM runs the hook)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage(String problem) {
        System.err.println("usage: model-server [serve] [--port N] | forecast < request.json   (" + problem + ")");
        System.exit(64);
    }
}
