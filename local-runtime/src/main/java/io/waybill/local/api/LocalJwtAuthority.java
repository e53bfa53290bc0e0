package io.waybill.local.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * The local stand-in for the Cognito user pool that issues the ops API's access tokens: one RS256 signing key per
 * local stack home, kept in {@code .waybill/api/signing-key.jwk.json} (owner-only; never in the repository), and
 * {@link #issue} signs access tokens with it. API Gateway's JWT authorizer accepts RSA keys only, so the key is RSA
 * 2048, as a Cognito user pool's are.
 *
 * <p>A token carries {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub}, {@code iat},
 * {@code exp}, {@code jti}, {@code token_use} {@code access} and the scopes in {@code scope}, space-separated, as a
 * Cognito access token does: {@value #READ_SCOPE} always, {@value #WRITE_SCOPE} too for a writer, whose token also
 * lists the group {@value #WRITER_GROUP} in {@code cognito:groups}. The header names the key ({@code kid}), which API
 * Gateway requires.
 */
public final class LocalJwtAuthority {
    /** The {@code iss} of every local token, and the issuer the local authorizer expects. */
    public static final String ISSUER = "urn:waybill:local";
    /** The {@code aud} of every local token, and the one audience the local authorizer accepts. */
    public static final String AUDIENCE = "waybill-ops";
    /** Read access to the ops API: every token has it. */
    public static final String READ_SCOPE = "ops.read";
    /** Acknowledge, resolve, dispose, replay: tokens issued for a writer only. */
    public static final String WRITE_SCOPE = "ops.write";
    /**
     * The group a writer's token names in {@code cognito:groups}, as a Cognito access token names its user's groups:
     * the local ops API, like the deployed one, lets only its members write.
     */
    public static final String WRITER_GROUP = "ops-writers";
    /** Lifetime of a token when none is given (a Cognito access token's default, 60 minutes). */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(60);
    /** Longest lifetime {@link #issue} allows (Cognito's maximum for access tokens, one day). */
    public static final Duration MAX_TTL = Duration.ofDays(1);
    /** File of the signing key (a private JWK, JSON) in the authority's folder. */
    public static final String KEY_FILE = "signing-key.jwk.json";

    private final RSAKey signingKey;

    private LocalJwtAuthority(RSAKey signingKey) {
        this.signingKey = signingKey;
    }

    /** The authority's folder under a stack home ({@code WAYBILL_HOME}): {@code .waybill/api}. */
    public static Path folder(Path home) {
        return home.resolve(".waybill").resolve("api");
    }

    /**
     * Opens the authority kept in {@code dir}, generating its key on first use. Two processes creating it at once
     * agree on one key: the file is moved into place without replacing, and the loser reads the winner's.
     */
    public static LocalJwtAuthority openOrCreate(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path file = dir.resolve(KEY_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return read(file);
            }
            Files.createDirectories(dir);
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID("waybill-local-" + UUID.randomUUID().toString().substring(0, 8)).generate();
            Path tmp = dir.resolve(KEY_FILE + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the user's profile folder protects it
            }
            Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local token authority in " + dir, e);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the local token signing key: " + e.getMessage(), e);
        }
    }

    private static LocalJwtAuthority read(Path file) throws IOException {
        try {
            RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!key.isPrivate() || key.getKeyID() == null) {
                throw new IOException(file + " holds no private RSA key with a key id");
            }
            return new LocalJwtAuthority(key);
        } catch (ParseException e) {
            throw new IOException(file + " is not an RSA JWK: " + e.getMessage(), e);
        }
    }

    /** The public key set an authorizer checks signatures against (what the issuer's {@code jwks_uri} serves). */
    public JWKSet publicKeys() {
        return new JWKSet(signingKey.toPublicJWK());
    }

    /** The key id in every token's header. */
    public String keyId() {
        return signingKey.getKeyID();
    }

    /**
     * Signs an access token.
     *
     * @param subject the caller ({@code sub}; the ops API records it as the actor of what it writes)
     * @param write   whether the token carries {@value #WRITE_SCOPE} besides {@value #READ_SCOPE}
     * @param ttl     lifetime, more than zero and at most {@link #MAX_TTL}
     * @param now     the issue instant ({@code iat}, truncated to seconds)
     * @return the compact JWT
     * @throws IllegalArgumentException for a blank subject or a lifetime out of range
     */
    public String issue(String subject, boolean write, Duration ttl, Instant now) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("the token's subject is empty");
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("a token lives more than 0 and at most " + MAX_TTL.toMinutes()
                    + " minutes, not " + ttl.toMinutes());
        }
        Instant iat = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject.trim())
                .audience(AUDIENCE)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(iat.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("token_use", "access")
                .claim("scope", write ? READ_SCOPE + " " + WRITE_SCOPE : READ_SCOPE);
        if (write) {
            builder.claim("cognito:groups", java.util.List.of(WRITER_GROUP));
        }
        JWTClaimsSet claims = builder.build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
