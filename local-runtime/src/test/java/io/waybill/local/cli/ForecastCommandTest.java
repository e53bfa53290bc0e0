package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.modelserver.http.ModelServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./waybill forecast}: the response body the endpoint returns, from stdin to stdout; a bad request is exit 2. */
class ForecastCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("..", "events-samples", "forecast-request.json");

    @TempDir
    Path root;

    @Test
    void printsWhatTheEndpointAnswersForTheSameBody() throws Exception {
        byte[] body = Files.readAllBytes(SAMPLE);

        CliRun cli = CliRun.of(root, body, "forecast");

        assertThat(cli.exit()).as(cli.err()).isZero();
        String endpointAnswer;
        try (ModelServer server = ModelServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.port() + "/endpoints/waybill-demand/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(200);
            endpointAnswer = r.body();
        }
        assertThat(JSON.readTree(cli.out())).isEqualTo(JSON.readTree(endpointAnswer));

        // The shape the sample asks for: two instances, 14 days each, the three quantiles in order.
        JsonNode predictions = JSON.readTree(cli.out()).path("predictions");
        assertThat(predictions).hasSize(2);
        for (JsonNode p : predictions) {
            assertThat(p.path("mean")).hasSize(14);
            for (int t = 0; t < 14; t++) {
                double q1 = p.path("quantiles").path("0.1").get(t).asDouble();
                double q5 = p.path("quantiles").path("0.5").get(t).asDouble();
                double q9 = p.path("quantiles").path("0.9").get(t).asDouble();
                assertThat(q1).isLessThanOrEqualTo(q5);
                assertThat(q5).isLessThanOrEqualTo(q9);
            }
        }
        // The sample's second SKU sells on 7 of 42 days: intermittent demand, a flat Croston-family rate.
        JsonNode intermittent = predictions.get(1);
        assertThat(intermittent.path("model").asText()).containsIgnoringCase("croston");
        double first = intermittent.path("mean").get(0).asDouble();
        for (JsonNode m : intermittent.path("mean")) {
            assertThat(m.asDouble()).isEqualTo(first);
        }
        // Mean demand per day of the history is 27/42 = 0.643; a Croston rate is of that order, not of the sizes (3.9).
        assertThat(first).isBetween(0.3, 1.5);
    }

    @Test
    void aRefusedRequestIsOneJsonLineOnStderrAndExitTwo() throws Exception {
        byte[] allMissing = "{\"instances\":[{\"start\":\"2026-01-01 00:00:00\",\"target\":[\"NaN\",\"NaN\",\"NaN\"]}]}"
                .getBytes(StandardCharsets.UTF_8);

        CliRun cli = CliRun.of(root, allMissing, "forecast");

        assertThat(cli.exit()).isEqualTo(2);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.errLines()).hasSize(1);
        assertThat(JSON.readTree(cli.err()).path("message").asText()).contains("NaN");
        assertThat(cli.hasNoStackTrace()).isTrue();
    }
}
