package io.waybill.domain.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The provisioning proof against OpenSSL. {@code provisioning-proof.der.b64} was made with the {@code openssl} CLI
 * (fixture README): {@code printf 'waybill-provisioning-v1:DOCK-DOOR-1:<CERT>' | openssl dgst -sha256 -sign
 * device-key.pem}; this test turns its DER into r || s with its own parser. {@link #PROOF} is the same signature
 * converted in the shell ({@code openssl asn1parse}, {@code xxd -r -p}, {@code base64}, {@code tr}). The runtime cases
 * make a fresh key and signature with openssl, and have openssl verify what {@link ProvisioningProof#sign} makes.
 */
class ProvisioningProofTest {
    /** Worked with openssl + base64 from device-pub.pem (fixture README). */
    static final String KID = "3ydyroZnX8n5VKFmVA6IXVaOy_8xMhbqauFiUVTYoY0";
    static final String THING = "DOCK-DOOR-1";
    static final String CERT = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
    static final String OTHER_CERT = "1111111111111111111111111111111111111111111111111111111111111111";
    /** r || s of provisioning-proof.der.b64, base64url, converted with the shell (fixture README). */
    static final String PROOF = "qVKI6w7_Ya-6LfAlz-XvJVme17IsWMJipBHP-XrvvFUE-vxylck7QNCUDoc9bCMKtY6m1xSNElEjLdN_p5DYww";

    private final ECPublicKey devicePublic = DeviceKeys.decodePublic(PayloadSignatureTest.text("device-pub.spki.b64"));
    private final ECPublicKey otherPublic = DeviceKeys.decodePublic(PayloadSignatureTest.text("other-pub.spki.b64"));
    private final Map<String, ECPublicKey> registered = Map.of(KID, devicePublic);

    @Test
    void proofMadeByOpensslVerifiesWithTheRegisteredKey() {
        String fromDer = base64url(rs(Base64.getDecoder().decode(PayloadSignatureTest.text("provisioning-proof.der.b64")
                .trim())));
        assertThat(fromDer).isEqualTo(PROOF);

        assertThat(ProvisioningProof.verify(THING, CERT, KID, PROOF, registered))
                .isEqualTo(new ProvisioningProof.Valid(KID));
    }

    @Test
    void proofForAnotherCertificateIsForged() {
        assertThat(ProvisioningProof.verify(THING, OTHER_CERT, KID, PROOF, registered))
                .isEqualTo(new ProvisioningProof.Forged(KID));
    }

    @Test
    void proofForAnotherThingIsForged() {
        assertThat(ProvisioningProof.verify("DOCK-DOOR-2", CERT, KID, PROOF, registered))
                .isEqualTo(new ProvisioningProof.Forged(KID));
    }

    @Test
    void anotherKeyRegisteredUnderTheKeyIdIsForgedAndAnUnregisteredKeyIdUnknown() {
        assertThat(ProvisioningProof.verify(THING, CERT, KID, PROOF, Map.of(KID, otherPublic)))
                .isEqualTo(new ProvisioningProof.Forged(KID));
        String otherKid = DeviceKeys.keyId(otherPublic);
        assertThat(ProvisioningProof.verify(THING, CERT, otherKid, PROOF, registered))
                .isEqualTo(new ProvisioningProof.UnknownKey(otherKid));
    }

    @Test
    void malformedBase64AndWrongLengthAreMalformed() {
        assertThat(ProvisioningProof.verify(THING, CERT, KID, "not*base64url!", registered))
                .isInstanceOf(ProvisioningProof.Malformed.class);
        // standard-alphabet base64 of the same bytes is not base64url
        String standard = Base64.getEncoder().withoutPadding().encodeToString(Base64.getUrlDecoder().decode(PROOF));
        assertThat(standard).containsAnyOf("+", "/");
        assertThat(ProvisioningProof.verify(THING, CERT, KID, standard, registered))
                .isInstanceOf(ProvisioningProof.Malformed.class);
        // the DER form openssl writes is 70-72 bytes, not r || s
        String der = base64url(Base64.getDecoder().decode(PayloadSignatureTest.text("provisioning-proof.der.b64").trim()));
        assertThat(ProvisioningProof.verify(THING, CERT, KID, der, registered))
                .isInstanceOf(ProvisioningProof.Malformed.class);
        assertThat(ProvisioningProof.verify(THING, CERT, KID, PROOF.substring(0, PROOF.length() - 3), registered))
                .isInstanceOf(ProvisioningProof.Malformed.class);
    }

    @Test
    void missingProofOrKeyIdIsMissingAndAColonInTheCertificateIdMalformed() {
        assertThat(ProvisioningProof.verify(THING, CERT, KID, null, registered))
                .isInstanceOf(ProvisioningProof.Missing.class);
        assertThat(ProvisioningProof.verify(THING, CERT, KID, "", registered))
                .isInstanceOf(ProvisioningProof.Missing.class);
        assertThat(ProvisioningProof.verify(THING, CERT, " ", PROOF, registered))
                .isInstanceOf(ProvisioningProof.Missing.class);
        assertThat(ProvisioningProof.verify(THING, null, KID, PROOF, registered))
                .isInstanceOf(ProvisioningProof.Malformed.class);
        assertThat(ProvisioningProof.verify(THING, "ab:cd", KID, PROOF, registered))
                .isInstanceOf(ProvisioningProof.Malformed.class);
    }

    @Test
    void signedBytesAreTheHandWrittenString() {
        assertThat(new String(ProvisioningProof.signedBytes(THING, CERT), StandardCharsets.UTF_8))
                .isEqualTo("waybill-provisioning-v1:DOCK-DOOR-1:" + CERT);
    }

    @Test
    void freshOpensslKeyAndSignatureVerify(@TempDir Path dir) throws Exception {
        assumeTrue(opensslOnPath(), "openssl is not on PATH");
        run(dir, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem");
        run(dir, "openssl", "pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der");
        Files.write(dir.resolve("message"), ("waybill-provisioning-v1:reefer-0001:" + OTHER_CERT)
                .getBytes(StandardCharsets.UTF_8));
        run(dir, "openssl", "dgst", "-sha256", "-sign", "key.pem", "-out", "sig.der", "message");

        ECPublicKey key = DeviceKeys.decodePublic(Base64.getEncoder().encodeToString(
                Files.readAllBytes(dir.resolve("pub.der"))));
        String kid = DeviceKeys.keyId(key);
        String proof = base64url(rs(Files.readAllBytes(dir.resolve("sig.der"))));

        assertThat(ProvisioningProof.verify("reefer-0001", OTHER_CERT, kid, proof, Map.of(kid, key)))
                .isEqualTo(new ProvisioningProof.Valid(kid));
        assertThat(ProvisioningProof.verify("reefer-0001", CERT, kid, proof, Map.of(kid, key)))
                .isEqualTo(new ProvisioningProof.Forged(kid));
    }

    @Test
    void proofMadeBySignVerifiesWithOpenssl(@TempDir Path dir) throws Exception {
        String proof = ProvisioningProof.sign(DeviceKeys.decodePrivatePem(PayloadSignatureTest.text("device-key.pem")),
                THING, OTHER_CERT);

        assumeTrue(opensslOnPath(), "openssl is not on PATH");
        Files.write(dir.resolve("message"), ("waybill-provisioning-v1:DOCK-DOOR-1:" + OTHER_CERT)
                .getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("sig.der"), der(Base64.getUrlDecoder().decode(proof)));
        Files.write(dir.resolve("pub.pem"), PayloadSignatureTest.bytes("device-pub.pem"));
        assertThat(run(dir, "openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "message"))
                .contains("Verified OK");
    }

    /** The DER SEQUENCE { INTEGER r, INTEGER s } openssl writes as r || s, each left-padded to 32 bytes. */
    static byte[] rs(byte[] der) {
        assertThat(der[0]).isEqualTo((byte) 0x30);
        assertThat(der[1] & 0xff).isEqualTo(der.length - 2); // short form: P-256 signatures are under 128 bytes
        int at = 2;
        byte[] out = new byte[64];
        for (int half = 0; half < 2; half++) {
            assertThat(der[at]).isEqualTo((byte) 0x02);
            int len = der[at + 1];
            byte[] integer = new BigInteger(1, Arrays.copyOfRange(der, at + 2, at + 2 + len)).toByteArray();
            byte[] unsigned = integer.length > 32 ? Arrays.copyOfRange(integer, integer.length - 32, integer.length)
                    : integer;
            System.arraycopy(unsigned, 0, out, half * 32 + 32 - unsigned.length, unsigned.length);
            at += 2 + len;
        }
        assertThat(at).isEqualTo(der.length);
        return out;
    }

    /** r || s as the DER openssl reads. */
    private static byte[] der(byte[] rs) {
        byte[] r = new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)).toByteArray();
        byte[] out = new byte[6 + r.length + s.length];
        out[0] = 0x30;
        out[1] = (byte) (4 + r.length + s.length);
        out[2] = 0x02;
        out[3] = (byte) r.length;
        System.arraycopy(r, 0, out, 4, r.length);
        out[4 + r.length] = 0x02;
        out[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, out, 6 + r.length, s.length);
        return out;
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean opensslOnPath() {
        try {
            return run(Path.of("."), "openssl", "version").startsWith("OpenSSL");
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
