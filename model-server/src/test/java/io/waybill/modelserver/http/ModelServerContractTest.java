package io.waybill.modelserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SageMaker's container contract over real HTTP. */
class ModelServerContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static ModelServer server;
    private static String body;

    @BeforeAll
    static void start() throws IOException {
        server = ModelServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (InputStream in = ModelServerContractTest.class.getResourceAsStream("/requests/deepar-two-instances.json")) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String payload) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, payload == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String message(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).get("message").asText();
    }

    @Test
    void pingAnswers200() throws Exception {
        assertThat(send("GET", "/ping", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void invocationsAnswersDeepArPredictions() throws Exception {
        HttpResponse<String> response = send("POST", "/invocations", "application/json", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode predictions = JSON.readTree(response.body()).get("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).get("quantiles").get("0.5")).hasSize(12);
    }

    @Test
    void runtimeClientPathAnswersTheSameAndIgnoresSigV4Headers() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/endpoints/waybill-forecast/invocations"))
                .header("Content-Type", "application/json")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=0")
                .header("X-Amz-Date", "20240101T000000Z")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(send("POST", "/invocations", "application/json", body).body());
    }

    @Test
    void badRequestsGet400WithAMessage() throws Exception {
        HttpResponse<String> empty = send("POST", "/invocations", "application/json", "{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[]}]}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(message(empty)).contains("empty");
        HttpResponse<String> freq = send("POST", "/invocations", "application/json",
                "{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2],\"freq\":\"Y\"}]}");
        assertThat(freq.statusCode()).isEqualTo(400);
        assertThat(message(freq)).contains("unknown frequency");
        HttpResponse<String> horizon = send("POST", "/invocations", "application/json",
                "{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[1,2],\"freq\":\"Q\",\"prediction_length\":21}]}");
        assertThat(horizon.statusCode()).isEqualTo(400);
        assertThat(message(horizon)).contains("horizon too long");
        HttpResponse<String> nan = send("POST", "/invocations", "application/json",
                "{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[\"NaN\"]}]}");
        assertThat(nan.statusCode()).isEqualTo(400);
        assertThat(message(nan)).contains("NaN");
    }

    @Test
    void malformedBodyDoesNotHurtTheServer() throws Exception {
        HttpResponse<String> bad = send("POST", "/invocations", "application/json", "{\"instances\": [ {\"start\"");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(message(bad)).contains("malformed JSON");
        assertThat(bad.body()).doesNotContain("at io.waybill");
        assertThat(send("POST", "/invocations", "application/json", body).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/ping", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathIs404WrongMethodIs405WrongTypeIs415() throws Exception {
        assertThat(send("GET", "/models", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> get = send("GET", "/invocations", null, null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send("POST", "/ping", "application/json", "{}").statusCode()).isEqualTo(405);
        HttpResponse<String> csv = send("POST", "/invocations", "text/csv", "1,2,3");
        assertThat(csv.statusCode()).isEqualTo(415);
        assertThat(message(csv)).contains("application/json");
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        String big = "{\"instances\":[{\"start\":\"2024-01-01\",\"target\":[" + "1,".repeat(ModelServer.MAX_BODY_BYTES / 2) + "1]}]}";
        HttpResponse<String> response = send("POST", "/invocations", "application/json", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(send("GET", "/ping", null, null).statusCode()).isEqualTo(200);
    }
}
