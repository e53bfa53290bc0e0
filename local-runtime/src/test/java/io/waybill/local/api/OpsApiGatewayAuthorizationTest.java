package io.waybill.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.jwk.RSAKey;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips through the real loopback gateway with {@link HttpClient}: what API Gateway's JWT authorizer refuses
 * is 401 {"message":"Unauthorized"} with a {@code www-authenticate} challenge and never reaches the handler; a valid
 * token reaches it with its scopes; the handler's response (headers, multi-value headers, cookies, a base64 body)
 * comes back as HTTP. Routes: {@code /incidents/...} needs ops.write (as the deployed write routes will), the page
 * {@code /} has no authorizer, every other route needs any valid token.
 */
class OpsApiGatewayAuthorizationTest {
    @TempDir
    static Path home;
    private static Path keys;
    private static LocalJwtAuthority authority;
    private static final RecordingOpsHandler HANDLER = new RecordingOpsHandler();
    private static OpsApiGateway gateway;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        keys = LocalJwtAuthority.folder(home);
        authority = LocalJwtAuthority.openOrCreate(keys);
        gateway = OpsApiGateway.start(0, HANDLER, new JwtAuthorizer(authority.publicKeys(), JwtAuthorizer.Config.local()),
                (method, path) -> path.equals("/") ? null
                        : path.startsWith("/incidents/") ? List.of("ops.write") : List.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void reset() {
        HANDLER.events.clear();
        HANDLER.answer = e -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{\"ok\":true}").build();
    }

    private static HttpResponse<byte[]> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.uri() + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, Object> validClaims() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "urn:waybill:local");
        c.put("aud", "waybill-ops");
        c.put("sub", "qa-lead");
        c.put("scope", "ops.read");
        c.put("iat", now);
        c.put("exp", now + 600);
        return c;
    }

    private static void assertRefusedUnauthorized(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(new String(r.body())).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(r.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(HANDLER.events).as("the handler must not be called").isEmpty();
    }

    @Test
    void readTokenFromTheAuthorityReachesTheHandlerWithTheReadScopeOnly() throws Exception {
        String token = authority.issue("dispatcher-7", false, Duration.ofMinutes(5), Instant.now());

        HttpResponse<byte[]> r = get("/shipments", "Bearer " + token);

        assertThat(r.statusCode()).isEqualTo(200);
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = HANDLER.events.get(0).getRequestContext()
                .getAuthorizer().getJwt();
        assertThat(jwt.getScopes()).containsExactly("ops.read");
        assertThat(jwt.getClaims()).containsEntry("sub", "dispatcher-7").containsEntry("scope", "ops.read")
                .containsEntry("iss", "urn:waybill:local").containsEntry("aud", "waybill-ops");
    }

    @Test
    void writeTokenShowsBothScopesAndPassesAWriteRoute() throws Exception {
        String token = authority.issue("qa-lead", true, Duration.ofMinutes(5), Instant.now());

        HttpResponse<byte[]> r = get("/incidents/INC-1/acknowledge", "bearer " + token); // prefix in any case

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(HANDLER.events.get(0).getRequestContext().getAuthorizer().getJwt().getScopes())
                .containsExactly("ops.read", "ops.write");
    }

    @Test
    void readTokenOnAWriteRouteIsForbiddenWithoutCallingTheHandler() throws Exception {
        String token = authority.issue("viewer", false, Duration.ofMinutes(5), Instant.now());

        HttpResponse<byte[]> r = get("/incidents/INC-1/acknowledge", "Bearer " + token);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new String(r.body())).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(r.headers().firstValue("www-authenticate").orElseThrow()).contains("insufficient_scope");
        assertThat(HANDLER.events).isEmpty();
    }

    @Test
    void missingAuthorizationHeaderIsUnauthorized() throws Exception {
        assertRefusedUnauthorized(get("/shipments", null));
    }

    @Test
    void expiredTokenIsUnauthorized() throws Exception {
        Map<String, Object> c = validClaims();
        long now = Instant.now().getEpochSecond();
        c.put("iat", now - 3600);
        c.put("exp", now - 60); // a minute ago: past any few seconds of leeway
        assertRefusedUnauthorized(get("/shipments", "Bearer " + TestTokens.sign(TestTokens.storedKey(keys), c)));
    }

    @Test
    void tokenNotYetValidIsUnauthorized() throws Exception {
        Map<String, Object> c = validClaims();
        c.put("nbf", Instant.now().getEpochSecond() + 300);
        assertRefusedUnauthorized(get("/shipments", "Bearer " + TestTokens.sign(TestTokens.storedKey(keys), c)));
    }

    @Test
    void wrongAudienceIsUnauthorized() throws Exception {
        Map<String, Object> c = validClaims();
        c.put("aud", List.of("partner-portal"));
        assertRefusedUnauthorized(get("/shipments", "Bearer " + TestTokens.sign(TestTokens.storedKey(keys), c)));
    }

    @Test
    void clientIdCountsOnlyWhenThereIsNoAudience() throws Exception {
        Map<String, Object> c = validClaims();
        c.remove("aud");
        c.put("client_id", "waybill-ops");

        assertThat(get("/shipments", "Bearer " + TestTokens.sign(TestTokens.storedKey(keys), c)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void wrongIssuerIsUnauthorized() throws Exception {
        Map<String, Object> c = validClaims();
        c.put("iss", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_other");
        assertRefusedUnauthorized(get("/shipments", "Bearer " + TestTokens.sign(TestTokens.storedKey(keys), c)));
    }

    @Test
    void signatureByAnotherKeyUnderTheSameKeyIdIsUnauthorized() throws Exception {
        RSAKey impostor = TestTokens.impostor(TestTokens.storedKey(keys));
        assertRefusedUnauthorized(get("/shipments", "Bearer " + TestTokens.sign(impostor, validClaims())));
    }

    @Test
    void tamperedPayloadIsUnauthorized() throws Exception {
        String[] parts = authority.issue("viewer", false, Duration.ofMinutes(5), Instant.now()).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"ops.read\"", "\"ops.read ops.write\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        assertRefusedUnauthorized(get("/shipments", "Bearer " + forged));
    }

    @Test
    void garbageTokenIsUnauthorized() throws Exception {
        assertRefusedUnauthorized(get("/shipments", "Bearer not-a-jwt"));
    }

    @Test
    void pageRouteWithoutAuthorizerReachesTheHandlerWithoutToken() throws Exception {
        HttpResponse<byte[]> r = get("/", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(HANDLER.events.get(0).getRequestContext().getAuthorizer()).isNull();
    }

    @Test
    void handlerResponseIsWrittenBackWithHeadersCookiesAndDecodedBody() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x00, (byte) 0xff};
        HANDLER.answer = e -> APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "image/png", "Link", "</shipments?page=2>; rel=\"next\""))
                .withMultiValueHeaders(Map.of("X-Hold", List.of("SSCC-1", "SSCC-2")))
                .withCookies(List.of("theme=dark; Path=/", "seen=1"))
                .withBody(Base64.getEncoder().encodeToString(png)).withIsBase64Encoded(true).build();
        String token = authority.issue("viewer", false, Duration.ofMinutes(5), Instant.now());

        HttpResponse<byte[]> r = get("/shipments", "Bearer " + token);

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).containsExactly(png);
        assertThat(r.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(r.headers().firstValue("link")).hasValue("</shipments?page=2>; rel=\"next\"");
        assertThat(r.headers().allValues("x-hold")).containsExactly("SSCC-1", "SSCC-2");
        assertThat(r.headers().allValues("set-cookie")).containsExactlyInAnyOrder("theme=dark; Path=/", "seen=1");
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
    }

    @Test
    void handlerThatThrowsIsAnInternalServerError() throws Exception {
        HANDLER.answer = e -> {
            throw new IllegalStateException("boom");
        };
        String token = authority.issue("viewer", false, Duration.ofMinutes(5), Instant.now());

        HttpResponse<byte[]> r = get("/shipments", "Bearer " + token);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(new String(r.body())).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }
}
