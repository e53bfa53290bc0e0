package io.waybill.modelserver.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The model server's cold start: {@code java -jar waybill-model-server.jar serve --port P} as a child process, timed
 * from just before the process is started to the first 200 from {@code GET /ping} (polled every 5 ms); median of the
 * runs. The SageMaker contract asks for /ping within 2 s of start-up.
 */
public final class ColdStart {
    private static final Duration GIVE_UP = Duration.ofSeconds(30);
    private final PrintStream out;

    public ColdStart(PrintStream out) {
        this.out = out;
    }

    /** @return false when the server did not answer (figures not measured) */
    public boolean run(Path jar, int runs) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            out.println("cold start: not measured, no server jar at " + jar);
            return false;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        List<Double> millis = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            int port = freePort();
            Path log = Files.createTempFile("model-server-cold-start", ".log");
            ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString(), "serve", "--port", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process server = builder.start();
            try {
                Double ms = null;
                while (ms == null && System.nanoTime() - start < GIVE_UP.toNanos()) {
                    if (!server.isAlive()) {
                        break;
                    }
                    try {
                        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 200) {
                            ms = (System.nanoTime() - start) / 1e6;
                        }
                    } catch (IOException notYet) {
                        Thread.sleep(5);
                    }
                }
                if (ms == null) {
                    String output = Files.readString(log);
                    out.println("cold start: the server did not answer /ping within " + GIVE_UP.toSeconds() + " s"
                            + (server.isAlive() ? "" : " (exited " + server.exitValue() + ")") + "; its output:\n"
                            + output.substring(0, Math.min(output.length(), 2000)));
                    return false;
                }
                millis.add(ms);
                out.printf(Locale.ROOT, "cold start run %d: %.0f ms%n", run + 1, ms);
            } finally {
                server.destroy();
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(log);
            }
        }
        List<Double> sorted = millis.stream().sorted().toList();
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        out.printf(Locale.ROOT, "cold start (process start to first /ping 200): median %.0f ms of %d runs (min %.0f, max %.0f);"
                + " SageMaker asks for 2000 ms%n", median, runs, sorted.get(0), sorted.get(sorted.size() - 1));
        return true;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
