package io.waybill.edgeack;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEventJson;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
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
import java.util.Objects;

/**
 * The account's IoT data endpoint when {@code IOT_DATA_ENDPOINT} is not configured: AWS IoT's {@code DescribeEndpoint}
 * ({@code GET /endpoint?endpointType=iot:Data-ATS} on {@code iot.<region>.amazonaws.com}, SigV4 with the control
 * plane's signing name {@value #SIGNING_NAME}), answered {@code {"endpointAddress":"xxxx-ats.iot.<region>.amazonaws.com"}}.
 * Called once per execution environment, on the first confirmation (not at class load). The endpoint is not a
 * CloudFormation attribute, so the stack cannot pass it without a custom resource; the role needs
 * {@code iot:DescribeEndpoint}, which has no resource-level permissions. Written on the SDK's signer for the same reason
 * as {@link IotDataPlaneAcknowledgements} (the IoT SDK module is not served here); tested against a local HTTP server,
 * never run against AWS here.
 */
public final class IotEndpointDiscovery {
    /** The SigV4 signing name of AWS IoT's control plane (its service metadata: {@code execute-api}). */
    public static final String SIGNING_NAME = "execute-api";
    /** The endpoint type of the data plane with Amazon Trust Services certificates. */
    public static final String DATA_ATS = "iot:Data-ATS";

    private IotEndpointDiscovery() {
    }

    /** {@code https://iot.<region>.amazonaws.com}. */
    public static URI controlPlane(String region) {
        return URI.create("https://iot." + region + ".amazonaws.com");
    }

    /** The data endpoint, {@code https://<endpointAddress>}. */
    public static URI dataEndpoint(URI controlPlane, String region, AwsCredentialsProvider credentials,
                                   SdkHttpClient http) {
        Objects.requireNonNull(controlPlane, "controlPlane");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(controlPlane)
                .encodedPath("/endpoint").putRawQueryParameter("endpointType", DATA_ATS).build();
        try {
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                    .request(request)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request()).build()).call();
            byte[] body = new byte[0];
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    body = in.readNBytes(4096);
                }
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 != 2) {
                throw new IllegalStateException("IoT DescribeEndpoint: HTTP " + status + " "
                        + new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            JsonNode address = CanonicalEventJson.MAPPER.readTree(body).path("endpointAddress");
            if (!address.isTextual() || address.asText().isBlank()) {
                throw new IllegalStateException("IoT DescribeEndpoint answered no endpointAddress");
            }
            return URI.create("https://" + address.asText());
        } catch (IOException e) {
            throw new IllegalStateException("IoT DescribeEndpoint failed: " + e, e);
        }
    }
}
