package io.waybill.domain.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
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
 * The signature format against OpenSSL: the fixtures under {@code src/test/resources/device/} were made with the
 * {@code openssl} CLI (see the README there): a P-256 key, the RFC 8785 signed bytes written by hand, an ECDSA
 * signature by {@code openssl dgst -sha256 -sign} converted from DER to r || s with {@code openssl asn1parse}, and
 * the key's RFC 7638 thumbprint computed with openssl and base64.
 */
class PayloadSignatureTest {
    /** Worked with openssl + base64 from device-pub.pem (fixture README). */
    private static final String KID = "3ydyroZnX8n5VKFmVA6IXVaOy_8xMhbqauFiUVTYoY0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ECPublicKey devicePublic = DeviceKeys.decodePublic(text("device-pub.spki.b64"));
    private final ECPublicKey otherPublic = DeviceKeys.decodePublic(text("other-pub.spki.b64"));

    @Test
    void keyIdIsTheJwkThumbprintOpensslComputes() {
        assertThat(DeviceKeys.keyId(devicePublic)).isEqualTo(KID);
    }

    @Test
    void messageSignedByOpensslAndForwardedByTheRuleIsValid() {
        // received.json: routing fields added, keys reordered, other whitespace, 4.20 for 4.2.
        assertThat(PayloadSignature.verify(received(), Map.of(KID, devicePublic)))
                .isEqualTo(new PayloadSignature.Valid(KID, 42));
    }

    @Test
    void messageWithoutRoutingFieldsIsValidToo() {
        ObjectNode m = received();
        m.remove("wb_route");
        m.remove("wb_received_ms");
        assertThat(PayloadSignature.verify(m, Map.of(KID, devicePublic))).isEqualTo(new PayloadSignature.Valid(KID, 42));
    }

    @Test
    void oneDigitOfTheReadingChangedIsForged() {
        ObjectNode m = received();
        ((ObjectNode) m.get("reading")).put("celsius", 4.3);
        assertThat(PayloadSignature.verify(m, Map.of(KID, devicePublic))).isEqualTo(new PayloadSignature.Forged(KID));
    }

    @Test
    void alteredSequenceIsForged() {
        ObjectNode m = received();
        ((ObjectNode) m.get("wb_sig")).put("seq", 43);
        assertThat(PayloadSignature.verify(m, Map.of(KID, devicePublic))).isEqualTo(new PayloadSignature.Forged(KID));
    }

    @Test
    void alteredKeyIdIsNotAKeyOfTheDeviceAndIsSignedToo() {
        ObjectNode m = received();
        String other = "A" + KID.substring(1);
        ((ObjectNode) m.get("wb_sig")).put("kid", other);
        assertThat(PayloadSignature.verify(m, Map.of(KID, devicePublic))).isInstanceOf(PayloadSignature.Malformed.class);
        // Even where the device had that key id for the same key, the kid is part of the signed bytes.
        assertThat(PayloadSignature.verify(m, Map.of(other, devicePublic))).isEqualTo(new PayloadSignature.Forged(other));
    }

    @Test
    void anotherKeyUnderTheSameIdIsForged() {
        assertThat(PayloadSignature.verify(received(), Map.of(KID, otherPublic)))
                .isEqualTo(new PayloadSignature.Forged(KID));
    }

    @Test
    void messageWithoutSignatureIsUnsignedAndATruncatedSignatureMalformed() {
        ObjectNode m = received();
        String sig = m.get("wb_sig").get("sig").asText();
        ((ObjectNode) m.get("wb_sig")).put("sig", sig.substring(0, sig.length() - 4));
        assertThat(PayloadSignature.verify(m, Map.of(KID, devicePublic))).isInstanceOf(PayloadSignature.Malformed.class);
        m.remove("wb_sig");
        assertThat(PayloadSignature.verify(m, Map.of(KID, devicePublic))).isEqualTo(new PayloadSignature.Unsigned());
    }

    @Test
    void signedPayloadIsTheHandWrittenCanonicalFormAndVerifiesWithOpenssl(@TempDir Path dir) throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree(bytes("signed-bytes.json"));
        message.remove("wb_sig");
        byte[] payload = PayloadSignature.sign(JSON.writeValueAsBytes(message),
                DeviceKeys.decodePrivatePem(text("device-key.pem")), KID, 42);

        ObjectNode signed = (ObjectNode) JSON.readTree(payload);
        String sig = signed.get("wb_sig").get("sig").asText();
        String withoutSig = new String(payload, StandardCharsets.UTF_8).replace(",\"sig\":\"" + sig + "\"", "");
        assertThat(withoutSig).isEqualTo(text("signed-bytes.json"));

        assumeTrue(opensslOnPath(), "openssl is not on PATH");
        Path data = Files.write(dir.resolve("signed-bytes.json"), bytes("signed-bytes.json"));
        Path der = Files.write(dir.resolve("sig.der"), der(Base64.getUrlDecoder().decode(sig)));
        Path pub = Files.write(dir.resolve("pub.pem"), bytes("device-pub.pem"));
        assertThat(run(dir, "openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature", der.toString(),
                data.toString())).contains("Verified OK");
    }

    /** r || s (32 bytes each) as the DER SEQUENCE of two INTEGERs openssl reads. */
    private static byte[] der(byte[] rs) {
        assertThat(rs).hasSize(64);
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
        return out;
    }

    private static ObjectNode received() {
        try {
            return (ObjectNode) JSON.readTree(bytes("received.json"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try (InputStream in = PayloadSignatureTest.class.getResourceAsStream("/device/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
