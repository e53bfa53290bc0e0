package io.waybill.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens are checked here without Nimbus: the JWT is split and base64url-decoded by hand, the claims read with
 * Jackson, the RS256 signature verified with the JDK's {@code SHA256withRSA} against the modulus and exponent read
 * from the key file (RFC 7518 section 6.3.1: {@code n}, {@code e} base64url big-endian).
 */
class LocalJwtAuthorityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    @TempDir
    Path home;

    @Test
    void writeTokenIsRs256SignedByTheStoredKeyWithTheDocumentedClaims() throws Exception {
        Path dir = LocalJwtAuthority.folder(home);
        LocalJwtAuthority authority = LocalJwtAuthority.openOrCreate(dir);
        // 2026-03-12T19:03:58Z = 1773342238 s (`date -u -d 2026-03-12T19:03:58Z +%s`); the 0.9 s are dropped;
        // exp = 1773342238 + 90 min * 60 = 1773342238 + 5400 = 1773347638
        String token = authority.issue("dispatcher-7", true, Duration.ofMinutes(90),
                Instant.parse("2026-03-12T19:03:58.900Z"));

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = JSON.readTree(B64URL.decode(parts[0]));
        JsonNode claims = JSON.readTree(B64URL.decode(parts[1]));
        JsonNode jwk = JSON.readTree(Files.readString(dir.resolve(LocalJwtAuthority.KEY_FILE)));

        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(header.path("kid").asText()).isEqualTo(jwk.path("kid").asText()).isNotEmpty();
        assertThat(claims.path("iss").asText()).isEqualTo("urn:waybill:local");
        assertThat(claims.path("aud").asText()).isEqualTo("waybill-ops");
        assertThat(claims.path("sub").asText()).isEqualTo("dispatcher-7");
        assertThat(claims.path("scope").asText()).isEqualTo("ops.read ops.write");
        // a writer's token names the writers' group as a Cognito access token names its user's groups (a JSON list)
        assertThat(claims.path("cognito:groups").isArray()).isTrue();
        assertThat(claims.path("cognito:groups").get(0).asText()).isEqualTo("ops-writers");
        assertThat(claims.path("cognito:groups").size()).isEqualTo(1);
        assertThat(claims.path("iat").asLong()).isEqualTo(1_773_342_238L);
        assertThat(claims.path("exp").asLong()).isEqualTo(1_773_347_638L);

        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, B64URL.decode(jwk.path("n").asText())),
                new BigInteger(1, B64URL.decode(jwk.path("e").asText()))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(B64URL.decode(parts[2]))).isTrue();
    }

    @Test
    void readTokenHasOnlyTheReadScope() throws Exception {
        String token = LocalJwtAuthority.openOrCreate(home).issue("viewer", false, Duration.ofMinutes(5), Instant.now());

        assertThat(JSON.readTree(B64URL.decode(token.split("\\.")[1])).path("scope").asText()).isEqualTo("ops.read");
    }

    @Test
    void keyIsMadeOnceAndKeptOwnerOnly() throws Exception {
        Path dir = LocalJwtAuthority.folder(home);
        String first = LocalJwtAuthority.openOrCreate(dir).keyId();
        String again = LocalJwtAuthority.openOrCreate(dir).keyId();

        assertThat(again).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(LocalJwtAuthority.KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(LocalJwtAuthority.openOrCreate(dir).publicKeys().getKeys().get(0).isPrivate()).isFalse();
    }

    @Test
    void lifetimeMustBePositiveAndAtMostADay() {
        LocalJwtAuthority authority = LocalJwtAuthority.openOrCreate(home);

        assertThatThrownBy(() -> authority.issue("a", false, Duration.ZERO, Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> authority.issue("a", false, Duration.ofMinutes(1441), Instant.now()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
