package io.waybill.modelserver.http;

import io.waybill.modelserver.deepar.Invocations;
import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Saturated: every admitted invocation is stuck fitting. SageMaker keeps pinging and replaces a container whose ping
 * goes unanswered, so {@code /ping} must still answer, the invocations beyond the admitted ones must get a quick 503
 * (the runtime client retries), and the stuck ones must complete once the fits return.
 */
@Timeout(60)
class ModelServerUnderLoadTest {
    private static final String BODY = "{\"instances\":[{\"start\":\"2026-01-01 00:00:00\",\"target\":[1,2,3,4,5,6,7,8,9,10],"
            + "\"freq\":\"D\",\"prediction_length\":3}]}";

    /** A method whose fits wait for the test to let them go; it forecasts a flat 1. */
    private static final class StuckMethod implements ForecastMethod {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger fitting = new AtomicInteger();

        @Override
        public String name() {
            return "stuck";
        }

        @Override
        public FittedForecast fit(double[] y, int period) {
            fitting.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new FittedForecast() {
                @Override
                public String model() {
                    return "stuck";
                }

                @Override
                public double[] mean(int h) {
                    double[] v = new double[h];
                    Arrays.fill(v, 1);
                    return v;
                }

                @Override
                public double[] quantile(double p, int h) {
                    return mean(h);
                }

                @Override
                public double[][] samples(int n, int h, RandomGenerator random) {
                    double[][] s = new double[n][];
                    Arrays.setAll(s, i -> mean(h));
                    return s;
                }
            };
        }
    }

    @Test
    void pingIsAnsweredAndTheOverflowIsRefusedWhileEveryAdmittedInvocationIsBusy() throws Exception {
        StuckMethod method = new StuckMethod();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ModelServer server = ModelServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new Invocations(method))) {
            URI invocations = URI.create("http://127.0.0.1:" + server.port() + "/invocations");
            List<CompletableFuture<HttpResponse<String>>> admittedOrNot = new ArrayList<>();
            int sent = ModelServer.IN_FLIGHT + 3;
            for (int i = 0; i < sent; i++) {
                admittedOrNot.add(http.sendAsync(HttpRequest.newBuilder(invocations)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            // the 3 beyond the admitted ones come back 503 while the others are still stuck
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (admittedOrNot.stream().filter(CompletableFuture::isDone).count() < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<HttpResponse<String>> early = admittedOrNot.stream().filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join).toList();
            assertThat(early).hasSize(3).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).contains("busy");
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            });
            assertThat(method.fitting.get()).isPositive();

            HttpResponse<String> ping = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/ping")).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ping.statusCode()).isEqualTo(200);

            method.release.countDown();
            long ok = admittedOrNot.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
            assertThat(ok).isEqualTo(ModelServer.IN_FLIGHT);
        }
    }
}
