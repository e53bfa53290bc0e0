package io.waybill.chain;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * Signs each JSON-RPC POST with SigV4 (the SDK's {@link AwsV4HttpSigner}): the body is read, hashed into the
 * signature, and sent unchanged; the signed headers ({@code Host}, {@code Content-Type}, {@code X-Amz-Date}, and
 * {@code X-Amz-Security-Token} for session credentials) and {@code Authorization} are added to the request.
 */
final class SigV4Interceptor implements Interceptor {

    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final String service;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    SigV4Interceptor(AwsCredentialsProvider credentials, Region region, String service) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        byte[] body = new byte[0];
        MediaType contentType = null;
        RequestBody original = request.body();
        if (original != null) {
            Buffer buffer = new Buffer();
            original.writeTo(buffer);
            body = buffer.readByteArray();
            contentType = original.contentType();
        }
        URI uri = request.url().uri();
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(uri);
        if (contentType != null) {
            unsigned.putHeader("Content-Type", contentType.toString());
        }
        byte[] payload = body;
        SignedRequest signed = signer.sign(r -> r
                .identity(credentials.resolveCredentials())
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        Request.Builder out = request.newBuilder();
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Host") || header.getKey().equalsIgnoreCase("Content-Type")) {
                continue; // OkHttp sets these itself, to the values that were signed
            }
            out.removeHeader(header.getKey());
            for (String value : header.getValue()) {
                out.addHeader(header.getKey(), value);
            }
        }
        if (original != null) {
            out.method(request.method(), RequestBody.create(body, contentType));
        }
        return chain.proceed(out.build());
    }
}
