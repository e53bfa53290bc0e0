package io.waybill.domain.device;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingest's Bouncy Castle verification agrees with the JDK's SunEC on signatures SunEC makes, good and bad. */
class Es256Test {
    private static final BigInteger N =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    @Test
    void bouncyCastleAndSunEcAgreeOnValidTamperedAndForeignSignatures() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 50; i++) {
            KeyPair pair = DeviceKeys.generate();
            ECPublicKey key = (ECPublicKey) pair.getPublic();
            byte[] message = new byte[1 + random.nextInt(600)];
            random.nextBytes(message);
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(pair.getPrivate());
            s.update(message);
            byte[] signature = s.sign();

            assertThat(Es256.verifyWithJdk(key, message, signature)).isTrue();
            assertThat(Es256.verify(key, message, signature)).isTrue();

            byte[] tampered = message.clone();
            tampered[random.nextInt(tampered.length)] ^= 1;
            assertThat(Es256.verify(key, tampered, signature)).isEqualTo(Es256.verifyWithJdk(key, tampered, signature))
                    .isFalse();
            byte[] flipped = signature.clone();
            flipped[random.nextInt(64)] ^= 0x10;
            assertThat(Es256.verify(key, message, flipped)).isEqualTo(Es256.verifyWithJdk(key, message, flipped))
                    .isFalse();
            ECPublicKey other = (ECPublicKey) DeviceKeys.generate().getPublic();
            assertThat(Es256.verify(other, message, signature)).isFalse();
        }
    }

    @Test
    void outOfRangeAndWrongLengthSignaturesAreRefused() {
        KeyPair pair = DeviceKeys.generate();
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        byte[] m = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] zero = new byte[64];
        assertThat(Es256.verify(key, m, zero)).isFalse();
        byte[] rIsN = new byte[64];
        byte[] n = N.toByteArray(); // 33 bytes with a sign byte
        System.arraycopy(n, n.length - 32, rIsN, 0, 32);
        rIsN[63] = 1;
        assertThat(Es256.verify(key, m, rIsN)).isFalse();
        assertThat(Es256.verify(key, m, Arrays.copyOf(zero, 63))).isFalse();
    }
}
