package io.waybill.edgeack;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The request the adapter sends, as a local HTTP server sees it: what AWS IoT's data plane documents for Publish
 * ({@code POST /topics/{topic}?qos=1}, the payload as the body) with a SigV4 signature for {@code iotdata}.
 */
class IotDataPlaneAcknowledgementsTest {
    @Test
    void publishIsASignedPostOfThePayloadToTheEncodedTopicWithQos1() throws Exception {
        AtomicReference<String> path = new AtomicReference<>();
        AtomicReference<String> query = new AtomicReference<>();
        AtomicReference<String> auth = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            path.set(x.getRequestURI().getRawPath());
            query.set(x.getRequestURI().getRawQuery());
            auth.set(x.getRequestHeaders().getFirst("Authorization"));
            body.set(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(x.getRequestMethod().equals("POST") ? 200 : 405, ok.length);
            x.getResponseBody().write(ok);
            x.close();
        });
        server.start();
        try (UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.create()) {
            IotDataPlaneAcknowledgements iot = new IotDataPlaneAcknowledgements(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "eu-west-1",
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), http);
            iot.publish("cmd/waybill/prod/reefer-07/stored", "{\"stored\":[[3,5]]}".getBytes(StandardCharsets.UTF_8));
            assertThat(path.get()).isEqualTo("/topics/cmd%2Fwaybill%2Fprod%2Freefer-07%2Fstored");
            assertThat(query.get()).isEqualTo("qos=1");
            assertThat(body.get()).isEqualTo("{\"stored\":[[3,5]]}");
            assertThat(auth.get()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/iotdata/aws4_request");

            server.removeContext("/");
            server.createContext("/", x -> {
                x.sendResponseHeaders(403, -1);
                x.close();
            });
            assertThatThrownBy(() -> iot.publish("cmd/waybill/prod/x/stored", new byte[] {'{', '}'}))
                    .isInstanceOf(DeviceAcknowledgements.AcknowledgementFailedException.class)
                    .hasMessageContaining("HTTP 403");
        } finally {
            server.stop(0);
        }
    }
}
