package io.waybill.aws.forecast;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.waybill.domain.forecast.DemandForecast;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.SeriesKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The DeepAR codec through the real SageMaker runtime client against a JDK HTTP server that records what it receives
 * and answers as a DeepAR endpoint would (a codec test: the model server itself is tested end to end elsewhere).
 */
class SageMakerDemandForecasterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SeriesKey A = new SeriesKey("80614141123458", "0614141000012");
    private static final SeriesKey B = new SeriesKey("00614141123452", "0614141000029");

    record Received(String method, String path, Map<String, List<String>> headers, String body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    private volatile Map<String, String> answerHeaders = Map.of();
    private SageMakerRuntimeClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(in, StandardCharsets.UTF_8)));
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            answerHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        client = SageMakerRuntimeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy
                        .doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    private SageMakerDemandForecaster forecaster() {
        return new SageMakerDemandForecaster(client, "waybill-demand",
                new DemandForecaster.ModelIdentity("waybill-ets", "1"));
    }

    private static List<DemandHistory> histories() {
        return List.of(new DemandHistory(A, LocalDate.of(2026, 3, 1), new double[]{3, 0, 5}),
                new DemandHistory(B, LocalDate.of(2026, 2, 27), new double[]{1, 2}));
    }

    @Test
    void sendsDeepArJsonToTheEndpointsInvocationsPathAndReadsTheAnswer() throws Exception {
        answer = """
                {"predictions":[
                  {"mean":[1.5,2.5],"quantiles":{"0.1":[0.0,1.0],"0.5":[1.0,2.0],"0.9":[3.0,4.0]},
                   "samples":[[1,2],[2,3],[0,4]],"model":"ETS(A,N,A)"},
                  {"mean":[0.5,0.5],"quantiles":{"0.1":[0,0],"0.5":[0,1],"0.9":[2,2]}}]}""";
        List<DemandForecast> out = forecaster().forecast(histories(),
                new DemandForecaster.ForecastRequest(2, List.of(0.1, 0.5, 0.9), 3));

        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/endpoints/waybill-demand/invocations");
        assertThat(r.headers().get("Content-type")).containsExactly("application/json");
        assertThat(r.headers().get("Accept")).containsExactly("application/json");
        assertThat(r.headers()).containsKey("Authorization"); // SigV4, which a local server may ignore
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("""
                {"instances":[
                  {"start":"2026-03-01 00:00:00","target":[3.0,0.0,5.0],"freq":"D","prediction_length":2},
                  {"start":"2026-02-27 00:00:00","target":[1.0,2.0],"freq":"D","prediction_length":2}],
                 "configuration":{"num_samples":3,"output_types":["mean","quantiles","samples"],
                                  "quantiles":["0.1","0.5","0.9"]}}"""));

        assertThat(out).hasSize(2);
        DemandForecast a = out.get(0);
        assertThat(a.key()).isEqualTo(A);
        assertThat(a.firstDay()).isEqualTo(LocalDate.of(2026, 3, 4));
        assertThat(a.mean()).containsExactly(1.5, 2.5);
        assertThat(a.quantiles()).containsOnlyKeys(0.1, 0.5, 0.9);
        assertThat(a.quantiles().get(0.9)).containsExactly(3.0, 4.0);
        assertThat(a.samples()).hasDimensions(3, 2);
        assertThat(a.samples()[2]).containsExactly(0.0, 4.0);
        assertThat(a.method()).isEqualTo("ETS(A,N,A)");
        DemandForecast b = out.get(1);
        assertThat(b.firstDay()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(b.samples()).isEmpty();
        assertThat(b.method()).isNull();
    }

    @Test
    void noSamplesAskedMeansNoSamplesOutputType() throws Exception {
        answer = "{\"predictions\":[{\"mean\":[1],\"quantiles\":{\"0.95\":[2]}}]}";
        forecaster().forecast(histories().subList(0, 1), new DemandForecaster.ForecastRequest(1, List.of(0.95), 0));
        assertThat(JSON.readTree(received.get(0).body()).path("configuration")).isEqualTo(JSON.readTree(
                "{\"num_samples\":0,\"output_types\":[\"mean\",\"quantiles\"],\"quantiles\":[\"0.95\"]}"));
    }

    @Test
    void aBadRequestIsRejected() {
        status = 400;
        answer = "{\"message\":\"target is empty\"}";
        assertThatThrownBy(() -> forecaster().forecast(histories(),
                new DemandForecaster.ForecastRequest(2, List.of(0.5), 0)))
                .isInstanceOf(DemandForecaster.ForecastRejected.class);
    }

    @Test
    void aModelErrorIsRejected() {
        status = 424;
        answerHeaders = Map.of("x-amzn-ErrorType", "ModelError:http://internal.amazon.com/coral/com.amazon.sagemaker/");
        answer = "{\"OriginalStatusCode\":400,\"OriginalMessage\":\"horizon too long\",\"Message\":\"model error\"}";
        assertThatThrownBy(() -> forecaster().forecast(histories(),
                new DemandForecaster.ForecastRequest(2, List.of(0.5), 0)))
                .isInstanceOf(DemandForecaster.ForecastRejected.class).hasMessageContaining("horizon too long");
    }

    @Test
    void throttlingAndServerErrorsAndAClosedPortAreUnavailable() {
        DemandForecaster.ForecastRequest req = new DemandForecaster.ForecastRequest(2, List.of(0.5), 0);
        status = 503;
        answerHeaders = Map.of("x-amzn-ErrorType", "ServiceUnavailable");
        answer = "{\"message\":\"busy\"}";
        assertThatThrownBy(() -> forecaster().forecast(histories(), req))
                .isInstanceOf(DemandForecaster.ForecasterUnavailable.class);
        status = 429;
        answerHeaders = Map.of("x-amzn-ErrorType", "ThrottlingException");
        assertThatThrownBy(() -> forecaster().forecast(histories(), req))
                .isInstanceOf(DemandForecaster.ForecasterUnavailable.class);
        server.stop(0);
        assertThatThrownBy(() -> forecaster().forecast(histories(), req))
                .isInstanceOf(DemandForecaster.ForecasterUnavailable.class);
    }

    @Test
    void anAnswerWithTheWrongNumberOfPredictionsIsRejected() {
        answer = "{\"predictions\":[{\"mean\":[1,1],\"quantiles\":{}}]}";
        assertThatThrownBy(() -> forecaster().forecast(histories(),
                new DemandForecaster.ForecastRequest(2, List.of(0.5), 0)))
                .isInstanceOf(DemandForecaster.ForecastRejected.class);
    }
}
