package io.waybill.local.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a request's bearer token the way API Gateway's HTTP API JWT authorizer does (AWS developer guide, "Control
 * access to HTTP APIs with JWT authorizers"), so the local gateway refuses what the deployed one refuses:
 * <ol>
 *   <li>the token from the {@code Authorization} header (the identity source), alone or after {@code Bearer };</li>
 *   <li>an RSA signature ({@code RS256/384/512}: API Gateway supports only RSA) by the key of the JWKS whose
 *   {@code kid} the header names;</li>
 *   <li>{@code iss} equal to the issuer; {@code aud}, or {@code client_id} only when there is no {@code aud}, one of
 *   the audiences; {@code exp} after now; {@code nbf} and {@code iat}, when present, not after now (each with
 *   {@link Config#leeway});</li>
 *   <li>when the route has authorization scopes, at least one of them in {@code scope} (space-separated) or
 *   {@code scp}.</li>
 * </ol>
 * A failed step is 401 {@code {"message":"Unauthorized"}} (403 {@code {"message":"Forbidden"}} for missing scopes)
 * with a {@code www-authenticate} challenge; the integration is not invoked. A valid token's claims go to the
 * integration as strings ({@link #claimAsString}), with its scopes as a list.
 */
public final class JwtAuthorizer {
    /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat} by default. */
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    /**
     * @param issuer    the {@code iss} a token must carry
     * @param audiences the accepted {@code aud} (or {@code client_id}) values, at least one
     * @param leeway    clock skew tolerated on the time claims, zero or more
     */
    public record Config(String issuer, Set<String> audiences, Duration leeway) {
        public Config {
            Objects.requireNonNull(issuer, "issuer");
            audiences = Set.copyOf(audiences);
            if (audiences.isEmpty()) {
                throw new IllegalArgumentException("an authorizer needs at least one audience");
            }
            if (leeway.isNegative()) {
                throw new IllegalArgumentException("leeway must not be negative: " + leeway);
            }
        }

        /** The local stack's: {@link LocalJwtAuthority#ISSUER}, {@link LocalJwtAuthority#AUDIENCE}. */
        public static Config local() {
            return new Config(LocalJwtAuthority.ISSUER, Set.of(LocalJwtAuthority.AUDIENCE), DEFAULT_LEEWAY);
        }
    }

    /** What the authorizer decided. */
    public sealed interface Decision permits Allowed, Denied {
    }

    /**
     * The token is valid: what API Gateway passes at {@code requestContext.authorizer.jwt}.
     *
     * @param claims every claim, as a string
     * @param scopes the token's scopes ({@code scope} split on spaces, or {@code scp})
     */
    public record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {
    }

    /**
     * The request is refused before the integration.
     *
     * @param statusCode      401, or 403 for a valid token without the route's scopes
     * @param body            API Gateway's body, {@code {"message":"Unauthorized"}} or {@code {"message":"Forbidden"}}
     * @param wwwAuthenticate the challenge sent in {@code www-authenticate}
     * @param reason          why, for the gateway's log (never sent to the caller)
     */
    public record Denied(int statusCode, String body, String wwwAuthenticate, String reason) implements Decision {
        static Denied unauthorized(String challenge, String reason) {
            return new Denied(401, "{\"message\":\"Unauthorized\"}", challenge, reason);
        }
    }

    private final JWKSet keys;
    private final Config config;

    public JwtAuthorizer(JWKSet keys, Config config) {
        this.keys = Objects.requireNonNull(keys, "keys").toPublicJWKSet();
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * @param authorization the {@code Authorization} header's value, null when the request has none
     * @param routeScopes   the route's authorization scopes (empty: any valid token)
     * @param now           the instant the request arrived
     */
    public Decision authorize(String authorization, Collection<String> routeScopes, Instant now) {
        if (authorization == null || authorization.isBlank()) {
            return Denied.unauthorized("Bearer", "no Authorization header");
        }
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        SignedJWT jwt;
        Map<String, Object> payload;
        try {
            jwt = SignedJWT.parse(token);
            payload = jwt.getPayload().toJSONObject();
        } catch (ParseException | RuntimeException e) {
            return invalid("the token is not a signed JWT", "not a signed JWT: " + e.getMessage());
        }
        if (payload == null) {
            return invalid("the token is not a signed JWT", "payload is not a JSON object");
        }
        if (!RSA.contains(jwt.getHeader().getAlgorithm())) {
            return invalid("the token's algorithm is not supported", "alg " + jwt.getHeader().getAlgorithm());
        }
        String kid = jwt.getHeader().getKeyID();
        JWK jwk = kid == null ? null : keys.getKeyByKeyId(kid);
        if (!(jwk instanceof RSAKey rsa)) {
            return invalid("the token's key is not known", "kid " + kid + " not in the key set");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(rsa))) {
                return invalid("the token's signature is invalid", "signature does not verify");
            }
        } catch (JOSEException e) {
            return invalid("the token's signature is invalid", "verification failed: " + e.getMessage());
        }
        if (!config.issuer().equals(payload.get("iss"))) {
            return invalid("the token's issuer is not accepted", "iss " + payload.get("iss"));
        }
        Object aud = payload.get("aud");
        List<String> audiences = aud != null ? strings(aud) : strings(payload.get("client_id"));
        if (audiences.stream().noneMatch(config.audiences()::contains)) {
            return invalid("the token does not have a valid audience", "aud/client_id " + audiences);
        }
        long nowSeconds = now.getEpochSecond();
        long leeway = config.leeway().toSeconds();
        Long exp = seconds(payload.get("exp"));
        if (exp == null || nowSeconds > exp + leeway) {
            return invalid("the token has expired", "exp " + exp + ", now " + nowSeconds);
        }
        Long nbf = seconds(payload.get("nbf"));
        if (payload.containsKey("nbf") && (nbf == null || nowSeconds < nbf - leeway)) {
            return invalid("the token is not valid yet", "nbf " + payload.get("nbf") + ", now " + nowSeconds);
        }
        Long iat = seconds(payload.get("iat"));
        if (payload.containsKey("iat") && (iat == null || nowSeconds < iat - leeway)) {
            return invalid("the token was issued in the future", "iat " + payload.get("iat") + ", now " + nowSeconds);
        }
        List<String> scopes = scopes(payload);
        if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(scopes::contains)) {
            return new Denied(403, "{\"message\":\"Forbidden\"}", "Bearer scope=\"" + String.join(" ", routeScopes)
                    + "\" error=\"insufficient_scope\" error_description=\"expected scopes: ["
                    + String.join(" ", routeScopes) + "]\"", "scopes " + scopes + " lack all of " + routeScopes);
        }
        Map<String, String> claims = new TreeMap<>();
        payload.forEach((name, value) -> {
            if (value != null) {
                claims.put(name, claimAsString(value));
            }
        });
        return new Allowed(claims, scopes);
    }

    private static Denied invalid(String description, String reason) {
        return Denied.unauthorized("Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + description + "\"",
                reason);
    }

    /**
     * A claim as API Gateway hands it to the integration: a string as it is, a number or boolean as its JSON text,
     * an array as {@code [a b]} (elements space-separated, recursively), an object as {@code map[k:v ...]} (keys
     * sorted). API Gateway is written in Go and these are Go's {@code fmt} renderings of decoded JSON.
     */
    static String claimAsString(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Collection<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object v : list) {
                parts.add(v == null ? "<nil>" : claimAsString(v));
            }
            return "[" + String.join(" ", parts) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            List<String> parts = new ArrayList<>();
            sorted.forEach((k, v) -> parts.add(k + ":" + (v == null ? "<nil>" : claimAsString(v))));
            return "map[" + String.join(" ", parts) + "]";
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }

    private static List<String> scopes(Map<String, Object> payload) {
        Object scope = payload.get("scope");
        if (scope instanceof String s) {
            return words(s);
        }
        Object scp = payload.get("scp");
        if (scp instanceof String s) {
            return words(s);
        }
        return scp == null ? List.of() : strings(scp);
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof Collection<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    private static Long seconds(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
