package io.waybill.domain.device;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * ECDSA P-256 / SHA-256 verification of a 64-byte {@code r || s} signature (JWS ES256), two ways that must agree:
 * the JDK's SunEC provider, and Bouncy Castle's lightweight API on its special-form P-256 curve
 * ({@code CustomNamedCurves}), which ingest uses: {@code ./waybill bench --only P8} measures both in the same run: on
 * 2 cores with JDK 17, Bouncy Castle verified 12 times faster than SunEC (its arithmetic is specialised for P-256's
 * prime, and a device's key is converted once and kept while the key object lives, the registry caching the keys, so
 * the point's precomputation is reused across that device's messages). It costs the ingest jar 6.7 MB; the edge,
 * which only signs (with the JDK), leaves Bouncy Castle out.
 */
public final class Es256 {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(),
            P256.getH());
    private static final Map<ECPublicKey, ECPublicKeyParameters> CONVERTED =
            Collections.synchronizedMap(new WeakHashMap<>());

    private Es256() {
    }

    /** Bouncy Castle: what ingest uses. */
    public static boolean verify(ECPublicKey key, byte[] data, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        ECPublicKeyParameters pub = CONVERTED.computeIfAbsent(key, k -> new ECPublicKeyParameters(
                DOMAIN.getCurve().validatePoint(k.getW().getAffineX(), k.getW().getAffineY()), DOMAIN));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, pub);
        return verifier.verifySignature(sha256(data), new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
                new BigInteger(1, Arrays.copyOfRange(signature, 32, 64)));
    }

    /** The JDK's SunEC provider: the reference {@link #verify} is measured and tested against. */
    public static boolean verifyWithJdk(ECPublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
