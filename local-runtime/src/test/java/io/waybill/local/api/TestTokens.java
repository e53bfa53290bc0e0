package io.waybill.local.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Tokens minted in the test with chosen claims, signed with the key the authority stored on disk (read from its file,
 * not through {@link LocalJwtAuthority#issue}), or with a stranger's key under the same key id.
 */
final class TestTokens {
    private TestTokens() {
    }

    static RSAKey storedKey(Path authorityDir) throws Exception {
        return RSAKey.parse(Files.readString(authorityDir.resolve(LocalJwtAuthority.KEY_FILE)));
    }

    static String sign(RSAKey key, Map<String, Object> claims) throws Exception {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach(b::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), b.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A key that is not the authority's, with the authority's key id: its signatures must not verify. */
    static RSAKey impostor(RSAKey genuine) throws Exception {
        return new RSAKeyGenerator(2048).keyID(genuine.getKeyID()).generate();
    }
}
