package io.waybill.chain;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * A JSON-RPC node on loopback that answers each method with a canned body, and records every request (method, path,
 * headers, body) it gets. No Ethereum logic: the tests write what a real node would answer.
 */
final class FakeNode implements AutoCloseable {

    record Captured(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** What to answer: an HTTP status and a body; the function gets the JSON-RPC method name. */
    record Answer(int status, String body) {
        static Answer result(String resultJson) {
            return new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":ID,\"result\":" + resultJson + "}");
        }

        static Answer error(int code, String message) {
            return new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":ID,\"error\":{\"code\":" + code + ",\"message\":\""
                    + message + "\"}}");
        }
    }

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final HttpServer server;
    final List<Captured> requests = new CopyOnWriteArrayList<>();

    FakeNode(Function<String, Answer> answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            String text = new String(body, StandardCharsets.UTF_8);
            Matcher m = METHOD.matcher(text);
            Matcher id = ID.matcher(text);
            Answer answer = answers.apply(m.find() ? m.group(1) : "");
            byte[] out = answer.body().replace("ID", id.find() ? id.group(1) : "1").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
