package io.waybill.edgeack;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@link DeviceAcknowledgements} through the AWS IoT data plane: {@code POST /topics/{topic}?qos=1} on the account's
 * data endpoint ({@code xxxx-ats.iot.<region>.amazonaws.com}), signed with SigV4 for the service {@code iotdata}, as
 * the SDK's {@code IotDataPlaneClient.publish} sends it. Written on the SDK's signer and HTTP client because
 * {@code software.amazon.awssdk:iotdataplane} is not served by the registry this project builds from (2.57.8 and
 * 2.51.4 tried); the function's role needs {@code iot:Publish} on {@code topic/cmd/waybill/<stage>/*}{@code /stored}.
 */
public final class IotDataPlaneAcknowledgements implements DeviceAcknowledgements {
    /** The SigV4 signing name of the IoT data plane. */
    public static final String SIGNING_NAME = "iotdata";

    private final java.util.function.Supplier<URI> endpointSource;
    private volatile URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param endpoint    e.g. {@code https://xxxx-ats.iot.eu-west-1.amazonaws.com}
     * @param region      the endpoint's region
     */
    public IotDataPlaneAcknowledgements(URI endpoint, String region, AwsCredentialsProvider credentials,
                                        SdkHttpClient http) {
        this(constant(Objects.requireNonNull(endpoint, "endpoint")), region, credentials, http);
    }

    /**
     * @param endpoint asked once, on the first publish (e.g. {@link IotEndpointDiscovery}); a failure is a failed
     *                 publish, and the next publish asks again
     */
    public IotDataPlaneAcknowledgements(java.util.function.Supplier<URI> endpoint, String region,
                                        AwsCredentialsProvider credentials, SdkHttpClient http) {
        this.endpointSource = Objects.requireNonNull(endpoint, "endpoint");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** The request path for {@code topic}: {@code /topics/} and the topic with every reserved character encoded. */
    static String path(String topic) {
        return "/topics/" + URLEncoder.encode(topic, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static java.util.function.Supplier<URI> constant(URI uri) {
        return () -> uri;
    }

    private URI endpoint() {
        URI e = endpoint;
        if (e == null) {
            e = Objects.requireNonNull(endpointSource.get(), "IoT data endpoint");
            endpoint = e;
        }
        return e;
    }

    @Override
    public void publish(String topic, byte[] payload) {
        URI endpoint;
        try {
            endpoint = endpoint();
        } catch (RuntimeException e) {
            throw new AcknowledgementFailedException("IoT data endpoint unknown: " + e.getMessage(), e);
        }
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .encodedPath(path(topic)).putRawQueryParameter("qos", "1")
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(payload.length)).build();
        try {
            SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials()).request(request)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            int status = response.httpResponse().statusCode();
            String body = "";
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    body = new String(in.readNBytes(512), StandardCharsets.UTF_8);
                }
            }
            if (status / 100 != 2) {
                throw new AcknowledgementFailedException("IoT data plane publish to " + topic + ": HTTP " + status
                        + " " + body, null);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AcknowledgementFailedException a) {
                throw a;
            }
            throw new AcknowledgementFailedException("IoT data plane publish to " + topic + " failed: " + e, e);
        }
    }
}
