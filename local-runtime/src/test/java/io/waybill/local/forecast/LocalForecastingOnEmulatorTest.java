package io.waybill.local.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.forecast.DemandEvents;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forecasting deployed on the local stack: canonical events put on the canonical stream reach the demand table
 * through {@code DemandIntakeHandler} behind the event source mapping; {@code runOnce} sends the history through the
 * real SageMaker runtime client to a stand-in endpoint (a JDK HTTP server answering DeepAR JSON: the model server is
 * tested end to end after the merge) and stores the forecast with its reorder recommendation.
 */
@Timeout(180)
class LocalForecastingOnEmulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate AS_OF = LocalDate.of(2026, 4, 1);
    private static final int DAYS = 35;
    private static final SeriesKey SERIES = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_A);
    private static LocalAwsStack stack;
    private static HttpServer endpoint;
    private static final List<String> paths = new CopyOnWriteArrayList<>();
    private static final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            byte[] out = JSON.writeValueAsBytes(answer(request));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        endpoint.start();
    }

    /** Mean 2 a day; each asked quantile q is 10q a day; four sample paths of 0, 1, 2 and 3 a day. */
    private static ObjectNode answer(JsonNode request) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode predictions = body.putArray("predictions");
        for (JsonNode instance : request.path("instances")) {
            int h = instance.path("prediction_length").asInt();
            ObjectNode p = predictions.addObject();
            ArrayNode mean = p.putArray("mean");
            for (int i = 0; i < h; i++) {
                mean.add(2.0);
            }
            ObjectNode q = p.putObject("quantiles");
            for (JsonNode level : request.path("configuration").path("quantiles")) {
                ArrayNode values = q.putArray(level.asText());
                for (int i = 0; i < h; i++) {
                    values.add(10 * Double.parseDouble(level.asText()));
                }
            }
            ArrayNode samples = p.putArray("samples");
            for (int j = 0; j < 4; j++) {
                ArrayNode path = samples.addArray();
                for (int i = 0; i < h; i++) {
                    path.add(j);
                }
            }
            p.put("model", "stand-in");
        }
        return body;
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.stop(0);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void eventsOnTheCanonicalStreamBecomeAForecastWithAReorderPoint() throws Exception {
        String stream = "forecast-canonical-test";
        StackResources.using(stack.clients()).createStream(stream, 1); // returns the ARN
        Map<String, String> env = Map.of("WAYBILL_FORECAST_SAMPLES", "4");
        try (LocalForecasting forecasting = LocalForecasting.start(stack.clients(), stream,
                EventSourceMappingConfig.builder().pollInterval(Duration.ofMillis(200)).build(),
                LocalForecasting.settings("demand-e2e", "forecasts-e2e", env),
                URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort()))) {
            // day i (0..34 from AS_OF - 35): one shipment of (i % 4) + 1 units, departed at noon; contents sent after
            List<CanonicalEvent> events = new ArrayList<>();
            double[] expected = new double[DAYS];
            int serial = 0;
            for (int i = 0; i < DAYS; i++) {
                LocalDate day = AS_OF.minusDays(DAYS - i);
                Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
                String sscc = DemandEvents.sscc(i);
                List<String> epcs = new ArrayList<>();
                for (int u = 0; u <= i % 4; u++) {
                    epcs.add(DemandEvents.sgtin(0, ++serial));
                }
                expected[i] = epcs.size();
                events.add(DemandEvents.departed("dep-" + i, noon, sscc, DemandEvents.GLN_A));
                events.add(DemandEvents.observed("obs-" + i, noon.minusSeconds(3600), sscc, epcs));
            }
            for (CanonicalEvent e : events) {
                stack.clients().kinesis().putRecord(b -> b.streamName(stream).partitionKey(e.subject())
                        .data(SdkBytes.fromString(CanonicalEventJson.toJsonString(e), StandardCharsets.UTF_8)));
            }
            double total = java.util.Arrays.stream(expected).sum();
            Instant until = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(until) && java.util.Arrays.stream(forecasting.store().history(SERIES,
                    AS_OF.minusDays(DAYS), AS_OF.minusDays(1)).unitsPerDay()).sum() < total) {
                Thread.sleep(200);
            }
            assertThat(forecasting.store().history(SERIES, AS_OF.minusDays(DAYS), AS_OF.minusDays(1)).unitsPerDay())
                    .containsExactly(expected);

            ForecastRun.Report report = forecasting.runOnce(AS_OF);
            assertThat(report.stored()).isEqualTo(1);
            assertThat(report.endpointUnavailable()).isFalse();
            assertThat(paths).containsExactly("/endpoints/" + LocalForecasting.LOCAL_ENDPOINT + "/invocations");
            JsonNode instance = requests.get(0).path("instances").get(0);
            assertThat(instance.path("start").asText()).isEqualTo(AS_OF.minusDays(DAYS) + " 00:00:00");
            double[] target = new double[instance.path("target").size()];
            for (int i = 0; i < target.length; i++) {
                target[i] = instance.path("target").get(i).asDouble();
            }
            assertThat(target).containsExactly(expected);
            assertThat(instance.path("prediction_length").asInt()).isEqualTo(28);

            StoredForecast f = forecasting.store().latest(SERIES).orElseThrow();
            assertThat(f.firstDay()).isEqualTo(AS_OF);
            assertThat(f.method()).isEqualTo("stand-in");
            assertThat(f.modelName()).isEqualTo("waybill-model-server");
            assertThat(f.quantiles()).containsOnlyKeys("0.1", "0.5", "0.9", "0.95");
            // lead-time (7 days) sums of the paths: 0, 7, 14, 21; the 95% quantile of four is the 4th: 21
            assertThat(f.reorder().reorderPoint()).isEqualTo(21.0);
            assertThat(f.reorder().leadTimeDemandMean()).isEqualTo(14.0);
            assertThat(f.reorder().safetyStock()).isEqualTo(7.0);
            assertThat(forecasting.store().series(null, null, 10)).containsExactly(SERIES);

            // 28 days later, nothing more left: actuals all zero. MASE scale of the history 1,2,3,4,1,...: the
            // weekly differences are 1, 1, 1, 3 per 4 days over 28 terms = 42 / 28 = 1.5; MAE 2 -> MASE 4/3; bias +2
            ForecastRun.Report later = forecasting.runOnce(AS_OF.plusDays(28));
            assertThat(later.scored()).singleElement().satisfies(a -> {
                assertThat(a.mase()).isCloseTo(4.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
                assertThat(a.bias()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-9));
                assertThat(a.daysCompared()).isEqualTo(28);
            });
            assertThat(forecasting.store().accuracy(SERIES, 5)).hasSize(1);
            assertThat(forecasting.runOnce(AS_OF.plusDays(29)).scored()).as("scored once").isEmpty();
        }
    }
}
