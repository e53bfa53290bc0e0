package io.waybill.edgeack;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The request AWS IoT's DescribeEndpoint documents ({@code GET /endpoint?endpointType=iot:Data-ATS}, SigV4 with the
 * control plane's signing name {@code execute-api}), as a local HTTP server sees it, and the data plane publishing to
 * the endpoint it answered, asked once.
 */
class IotEndpointDiscoveryTest {
    @Test
    void theDataEndpointIsAskedOnceAndUsedForEveryPublish() throws Exception {
        AtomicReference<String> query = new AtomicReference<>();
        AtomicReference<String> auth = new AtomicReference<>();
        List<String> requests = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port;
        server.createContext("/", x -> {
            requests.add(x.getRequestMethod() + " " + x.getRequestURI().getRawPath());
            byte[] body;
            if (x.getRequestURI().getRawPath().equals("/endpoint")) {
                query.set(x.getRequestURI().getRawQuery());
                auth.set(x.getRequestHeaders().getFirst("Authorization"));
                // the answer names a host: this same server
                body = ("{\"endpointAddress\":\"127.0.0.1:" + x.getLocalAddress().getPort() + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                body = "{}".getBytes(StandardCharsets.UTF_8);
            }
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        port = server.getAddress().getPort();
        try (UrlConnectionHttpClient http = (UrlConnectionHttpClient) UrlConnectionHttpClient.create()) {
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
            URI found = IotEndpointDiscovery.dataEndpoint(URI.create("http://127.0.0.1:" + port), "eu-west-1",
                    credentials, http);
            assertThat(found).isEqualTo(URI.create("https://127.0.0.1:" + port));
            assertThat(query.get()).isEqualTo("endpointType=iot%3AData-ATS");
            assertThat(auth.get()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
                    .contains("/eu-west-1/execute-api/aws4_request");

            requests.clear();
            int[] asked = {0};
            IotDataPlaneAcknowledgements iot = new IotDataPlaneAcknowledgements(() -> {
                asked[0]++;
                return URI.create("http://127.0.0.1:" + port);
            }, "eu-west-1", credentials, http);
            iot.publish("cmd/waybill/prod/a/stored", new byte[] {'{', '}'});
            iot.publish("cmd/waybill/prod/b/stored", new byte[] {'{', '}'});
            assertThat(asked[0]).isEqualTo(1);
            assertThat(requests).containsExactly("POST /topics/cmd%2Fwaybill%2Fprod%2Fa%2Fstored",
                    "POST /topics/cmd%2Fwaybill%2Fprod%2Fb%2Fstored");

            IotDataPlaneAcknowledgements unknown = new IotDataPlaneAcknowledgements(() -> {
                throw new IllegalStateException("DescribeEndpoint: HTTP 403");
            }, "eu-west-1", credentials, http);
            assertThatThrownBy(() -> unknown.publish("cmd/waybill/prod/a/stored", new byte[] {'{', '}'}))
                    .isInstanceOf(DeviceAcknowledgements.AcknowledgementFailedException.class)
                    .hasMessageContaining("HTTP 403");
        } finally {
            server.stop(0);
        }
    }
}
