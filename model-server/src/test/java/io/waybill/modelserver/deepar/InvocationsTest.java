package io.waybill.modelserver.deepar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.modelserver.methods.AutomaticForecast;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DeepAR's inference format in and out, with the selection rule behind it (Theta-only until ETS is wired). */
class InvocationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Invocations invocations = new Invocations(AutomaticForecast.withoutEts());

    static String resource(String path) {
        try (InputStream in = InvocationsTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deepArShapedRequestGetsDeepArShapedResponse() throws IOException {
        JsonNode response = JSON.readTree(invocations.invoke(resource("/requests/deepar-two-instances.json")));
        JsonNode predictions = response.get("predictions");
        assertThat(predictions).hasSize(2);
        JsonNode monthly = predictions.get(0);
        assertThat(monthly.get("mean")).hasSize(12);
        assertThat(monthly.get("quantiles").fieldNames()).toIterable().containsExactly("0.1", "0.5", "0.9");
        assertThat(monthly.get("samples")).hasSize(50);
        assertThat(monthly.get("samples").get(0)).hasSize(12);
        assertThat(monthly.get("model").asText()).startsWith("Theta");
        for (int j = 0; j < 12; j++) {
            double lo = monthly.get("quantiles").get("0.1").get(j).asDouble();
            double mid = monthly.get("quantiles").get("0.5").get(j).asDouble();
            double hi = monthly.get("quantiles").get("0.9").get(j).asDouble();
            assertThat(lo).isLessThan(mid);
            assertThat(mid).isLessThan(hi);
        }
        JsonNode weekly = predictions.get(1);
        assertThat(weekly.get("model").asText()).isEqualTo("Croston-SBA");
        assertThat(weekly.get("mean")).hasSize(4);
    }

    @Test
    void sameRequestGivesTheSameResponse() {
        String body = resource("/requests/deepar-two-instances.json");
        assertThat(invocations.invoke(body)).isEqualTo(invocations.invoke(body));
    }

    @Test
    void monthlyMeanIsThetafForecast() throws IOException {
        JsonNode r = JSON.readTree(resource("/fixtures/theta-airpassengers.json"));
        String body = "{\"instances\":[{\"start\":\"1949-01-01 00:00:00\",\"freq\":\"M\",\"prediction_length\":24,\"target\":"
                + r.get("series") + "}],\"configuration\":{\"output_types\":[\"mean\"]}}";
        JsonNode prediction = JSON.readTree(invocations.invoke(body)).get("predictions").get(0);
        assertThat(prediction.has("quantiles")).isFalse();
        for (int j = 0; j < 24; j++) {
            double expected = r.get("mean").get(j).asDouble();
            assertThat(prediction.get("mean").get(j).asDouble()).isCloseTo(expected, within(2e-3 * expected));
        }
    }

    @Test
    void defaultsAreDailyFourteenStepsAndNineQuantiles() throws IOException {
        JsonNode p = JSON.readTree(invocations.invoke("{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2,3,4,5,6,7,8,9,10]}]}"))
                .get("predictions").get(0);
        assertThat(p.get("mean")).hasSize(14);
        assertThat(p.get("quantiles")).hasSize(9);
        assertThat(p.has("samples")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty target|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[]}]}|400|\"target\" is empty",
        "all NaN|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[\"NaN\",\"NaN\"]}]}|400|every value is \"NaN\"",
        "unknown frequency|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2],\"freq\":\"5min\"}]}|400|unknown frequency",
        "horizon too long|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2],\"freq\":\"M\",\"prediction_length\":61}]}|400|horizon too long",
        "malformed JSON|{\"instances\":[{|400|malformed JSON",
        "no instances|{\"configuration\":{}}|400|\"instances\"",
        "bad value|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,\"x\"]}]}|400|target[1]",
        "bad start|{\"instances\":[{\"start\":\"Jan 2024\",\"target\":[1,2]}]}|400|\"start\"",
        "bad quantile|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2]}],\"configuration\":{\"quantiles\":[\"1.5\"]}}|400|strictly between 0 and 1",
        "bad output type|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2]}],\"configuration\":{\"output_types\":[\"median\"]}}|400|unknown output type",
        "too many samples|{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2]}],\"configuration\":{\"num_samples\":1001}}|413|too many samples",
    })
    void badRequestsSayWhy(String name, String body, int status, String message) {
        assertThatThrownBy(() -> invocations.invoke(body)).isInstanceOfSatisfying(BadRequest.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void tooManyInstancesIsRefused() {
        StringBuilder body = new StringBuilder("{\"instances\":[");
        for (int i = 0; i <= Invocations.MAX_INSTANCES; i++) {
            body.append(i == 0 ? "" : ",").append("{\"start\":\"2024-01-01\",\"target\":[1]}");
        }
        body.append("]}");
        assertThatThrownBy(() -> invocations.invoke(body.toString())).isInstanceOfSatisfying(BadRequest.class,
                e -> assertThat(e.getMessage()).contains("too many instances"));
    }

    @Test
    void responseOverTheValueLimitIsRefused() {
        // 300 instances x 336 hourly steps x (1 mean + 9 quantiles) = 1,008,000 numbers > 200,000
        StringBuilder body = new StringBuilder("{\"instances\":[");
        for (int i = 0; i < 300; i++) {
            body.append(i == 0 ? "" : ",").append("{\"start\":\"2024-01-01\",\"target\":[1,2],\"freq\":\"H\",\"prediction_length\":336}");
        }
        body.append("]}");
        assertThatThrownBy(() -> invocations.invoke(body.toString())).isInstanceOfSatisfying(BadRequest.class,
                e -> assertThat(e.status()).isEqualTo(413));
    }
}
