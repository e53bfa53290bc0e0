package io.waybill.local.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner's webhook, locally: the receiver behind an EventBridge API destination (the rule target's {@code Arn} is
 * {@link #uri()}). A loopback JDK HTTP server that answers {@code POST}s with 200 and records each body it accepted,
 * in arrival order. It can be told to be down: {@link #failFirst(int)} answers 503 to the next N requests,
 * {@link #failUntil(Instant)} answers 503 until an instant (the receiver's clock); a 503 is not recorded as received.
 * Every request, answered 200 or 503, is counted in {@link #requests()}.
 */
public final class PartnerWebhookReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartnerWebhookReceiver.class);

    private final String name;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile Instant downUntil = Instant.MIN;

    private PartnerWebhookReceiver(String name, Clock clock) throws IOException {
        this.name = name;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "partner-webhook-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
        LOG.info("Partner webhook receiver {} on {}", name, uri());
    }

    /** @param name the partner (for the URL path and logs) */
    public static PartnerWebhookReceiver start(String name) throws IOException {
        return start(name, Clock.systemUTC());
    }

    public static PartnerWebhookReceiver start(String name, Clock clock) throws IOException {
        return new PartnerWebhookReceiver(name, clock);
    }

    /** The webhook URL: {@code http://127.0.0.1:<port>/partners/<name>/events}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/partners/" + name
                + "/events");
    }

    /** Answers 503 to the next {@code requests} requests (replacing any count left). */
    public void failFirst(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0: " + requests);
        }
        failuresLeft.set(requests);
    }

    /** Answers 503 to every request before {@code until} (by the receiver's clock). */
    public void failUntil(Instant until) {
        this.downUntil = until;
    }

    /** The bodies answered 200, in arrival order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Requests answered, 200 and 503 alike. */
    public int requests() {
        return requests.get();
    }

    /** Requests answered 503. */
    public int refused() {
        return refused.get();
    }

    private void exchange(HttpExchange x) throws IOException {
        try (x; InputStream in = x.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            if (!"POST".equals(x.getRequestMethod())) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            boolean down = clock.instant().isBefore(downUntil)
                    || failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
            if (down) {
                refused.incrementAndGet();
                x.sendResponseHeaders(503, -1);
                return;
            }
            received.add(body);
            x.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
