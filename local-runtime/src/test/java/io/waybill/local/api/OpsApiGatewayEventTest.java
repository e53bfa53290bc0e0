package io.waybill.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.nimbusds.jose.jwk.RSAKey;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event the gateway hands the handler for a hand-written HTTP/1.1 request (sent byte for byte over a socket)
 * equals a hand-written payload 2.0 event, field by field: the expectations come from the payload format's
 * description (AWS developer guide, "Create AWS Lambda proxy integrations for HTTP APIs"), not from the code.
 */
class OpsApiGatewayEventTest {
    /** 2026-03-12T19:03:58.123Z: `date -u -d 2026-03-12T19:03:58Z +%s` = 1773342238 s, + 123 ms. */
    private static final Instant RECEIVED = Instant.parse("2026-03-12T19:03:58.123Z");
    private static final long RECEIVED_EPOCH_MILLIS = 1_773_342_238_123L;

    @TempDir
    Path home;

    @Test
    void binaryPostWithRepeatedHeadersQueryAndCookiesBecomesThePayloadApiGatewaySends() throws Exception {
        Path keys = LocalJwtAuthority.folder(home);
        LocalJwtAuthority authority = LocalJwtAuthority.openOrCreate(keys);
        RSAKey key = TestTokens.storedKey(keys);
        // iat = RECEIVED seconds (1773342238), exp = iat + 3600 = 1773345838
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "urn:waybill:local");
        claims.put("aud", "waybill-ops");
        claims.put("sub", "dispatcher-7");
        claims.put("scope", "ops.read ops.write");
        claims.put("iat", 1_773_342_238L);
        claims.put("exp", 1_773_345_838L);
        claims.put("cognito:groups", List.of("dispatch", "qa"));
        claims.put("email_verified", true);
        String token = TestTokens.sign(key, claims);

        RecordingOpsHandler handler = new RecordingOpsHandler();
        try (OpsApiGateway gateway = OpsApiGateway.start(0, handler,
                new JwtAuthorizer(authority.publicKeys(), JwtAuthorizer.Config.local()),
                OpsApiGateway.RouteAuthorization.everyRoute(List.of()), Clock.fixed(RECEIVED, ZoneOffset.UTC),
                () -> "JkV4bgvYoAMEbHw=")) {
            int port = gateway.uri().getPort();
            byte[] head = ("POST /shipments/SSCC%20001/incidents?status=open&status=acknowledged&q=a%2Bb+c&empty HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "User-Agent: waybill-test/1.0\r\n"
                    + "AUTHORIZATION: Bearer " + token + "\r\n"
                    + "X-Trace: one\r\n"
                    + "x-trace: two\r\n"
                    + "Cookie: session=abc; theme=dark\r\n"
                    + "Content-Type: application/octet-stream\r\n"
                    + "Content-Length: 4\r\n"
                    + "Connection: close\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
            String response = exchange(port, head, new byte[] {0x00, 0x01, (byte) 0xfe, (byte) 0xff});
            assertThat(response).startsWith("HTTP/1.1 200");

            assertThat(handler.events).hasSize(1);
            APIGatewayV2HTTPEvent e = handler.events.get(0);
            assertThat(e.getVersion()).isEqualTo("2.0");
            assertThat(e.getRouteKey()).isEqualTo("$default");
            assertThat(e.getRawPath()).isEqualTo("/shipments/SSCC%20001/incidents");
            assertThat(e.getRawQueryString()).isEqualTo("status=open&status=acknowledged&q=a%2Bb+c&empty");
            assertThat(e.getQueryStringParameters()).isEqualTo(Map.of(
                    "status", "open,acknowledged", // repeated names joined with ','
                    "q", "a+b c",                  // %2B is '+', '+' is a space
                    "empty", ""));
            assertThat(e.getHeaders()).isEqualTo(Map.of(
                    "host", "127.0.0.1:" + port,
                    "user-agent", "waybill-test/1.0",
                    "authorization", "Bearer " + token,
                    "x-trace", "one,two",
                    "content-type", "application/octet-stream",
                    "content-length", "4",
                    "connection", "close",
                    "x-forwarded-for", "127.0.0.1",
                    "x-forwarded-port", Integer.toString(port),
                    "x-forwarded-proto", "http"));
            assertThat(e.getCookies()).containsExactly("session=abc", "theme=dark");
            assertThat(e.getPathParameters()).isNull();
            assertThat(e.getStageVariables()).isNull();
            assertThat(e.getIsBase64Encoded()).isTrue();
            // 00 01 fe ff -> 000000 000000 000111 111110 111111 11(0000) -> A A H + / w, padded: "AAH+/w=="
            assertThat(e.getBody()).isEqualTo("AAH+/w==");

            APIGatewayV2HTTPEvent.RequestContext c = e.getRequestContext();
            assertThat(c.getRouteKey()).isEqualTo("$default");
            assertThat(c.getStage()).isEqualTo("$default");
            assertThat(c.getAccountId()).isEqualTo("000000000000");
            assertThat(c.getApiId()).isEqualTo("waybill-local");
            assertThat(c.getDomainName()).isEqualTo("127.0.0.1");
            assertThat(c.getRequestId()).isEqualTo("JkV4bgvYoAMEbHw=");
            assertThat(c.getTime()).isEqualTo("12/Mar/2026:19:03:58 +0000");
            assertThat(c.getTimeEpoch()).isEqualTo(RECEIVED_EPOCH_MILLIS);
            assertThat(c.getHttp().getMethod()).isEqualTo("POST");
            assertThat(c.getHttp().getPath()).isEqualTo("/shipments/SSCC%20001/incidents");
            assertThat(c.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
            assertThat(c.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
            assertThat(c.getHttp().getUserAgent()).isEqualTo("waybill-test/1.0");
            assertThat(c.getAuthorizer().getJwt().getClaims()).isEqualTo(Map.of(
                    "iss", "urn:waybill:local",
                    "aud", "waybill-ops",
                    "sub", "dispatcher-7",
                    "scope", "ops.read ops.write",
                    "iat", "1773342238",
                    "exp", "1773345838",
                    "cognito:groups", "[dispatch qa]", // arrays flattened as API Gateway does
                    "email_verified", "true"));
            assertThat(c.getAuthorizer().getJwt().getScopes()).containsExactly("ops.read", "ops.write");
        }
    }

    @Test
    void jsonGetWithoutQueryOrCookiesHasEmptyRawQueryAndTextBody() throws Exception {
        RecordingOpsHandler handler = new RecordingOpsHandler();
        try (OpsApiGateway gateway = OpsApiGateway.start(0, handler,
                new JwtAuthorizer(LocalJwtAuthority.openOrCreate(home).publicKeys(), JwtAuthorizer.Config.local()),
                (method, path) -> null, // a route without authorizer: the dashboard page
                Clock.fixed(RECEIVED, ZoneOffset.UTC), () -> "id-2")) {
            int port = gateway.uri().getPort();
            byte[] body = "{\"note\":\"doors closed\"}".getBytes(StandardCharsets.UTF_8);
            String response = exchange(port, ("PUT /dashboard HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + body.length
                    + "\r\nX-Forwarded-For: 10.0.0.9\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
            assertThat(response).startsWith("HTTP/1.1 200");

            APIGatewayV2HTTPEvent e = handler.events.get(0);
            assertThat(e.getRawQueryString()).isEmpty();
            assertThat(e.getQueryStringParameters()).isNull();
            assertThat(e.getCookies()).isNull();
            assertThat(e.getIsBase64Encoded()).isFalse();
            assertThat(e.getBody()).isEqualTo("{\"note\":\"doors closed\"}");
            // the client's hop first, then the address the gateway saw
            assertThat(e.getHeaders()).containsEntry("x-forwarded-for", "10.0.0.9, 127.0.0.1");
            assertThat(e.getRequestContext().getDomainName()).isEqualTo("localhost");
            assertThat(e.getRequestContext().getDomainPrefix()).isEqualTo("localhost");
            assertThat(e.getRequestContext().getAuthorizer()).isNull();
        }
    }

    /** Sends the bytes, reads the whole response (the request says Connection: close). */
    private static String exchange(int port, byte[] head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
