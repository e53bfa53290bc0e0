package io.waybill.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EthereumSignature;

class LocalKeySignerTest {

    /** anvil's (Foundry's) published dev account 0: a public test key, never a secret. */
    static final String ANVIL_KEY_0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    /** Its address, as anvil prints it at start and as every Foundry/Hardhat guide lists it. */
    static final String ANVIL_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
    /** secp256k1's group order n (SEC 2, 2.4.1). */
    private static final BigInteger N = new BigInteger(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    @Test
    void theDevKeyHasAnvilsPublishedAddress() {
        assertThat(LocalKeySigner.fromHex(ANVIL_KEY_0).address()).isEqualTo(EthereumAddress.parse(ANVIL_ADDRESS_0));
        assertThat(LocalKeySigner.fromHex("0x" + ANVIL_KEY_0).address().toString()).isEqualTo(ANVIL_ADDRESS_0);
    }

    @Test
    void toStringShowsTheAddressAndNeverTheKey() {
        assertThat(LocalKeySigner.fromHex(ANVIL_KEY_0).toString()).contains(ANVIL_ADDRESS_0)
                .doesNotContain(ANVIL_KEY_0).doesNotContain(ANVIL_KEY_0.substring(0, 16));
    }

    /**
     * The DER is as KMS returns it (raw s, half of the time above n/2); the signature made from it is low-s (EIP-2),
     * and both halves occur over 64 digests, so the normalisation is exercised (a chance of 2^-63 of a false failure).
     */
    @Test
    void derSignaturesAreKmsShapedAndTheEthereumSignatureIsAlwaysLowS() throws Exception {
        LocalKeySigner signer = LocalKeySigner.fromHex(ANVIL_KEY_0);
        int high = 0;
        for (int i = 0; i < 64; i++) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("batch " + i).getBytes(StandardCharsets.UTF_8));
            byte[] der = signer.signDer(digest);
            assertThat(der[0]).isEqualTo((byte) 0x30);
            assertThat(der[1] & 0xff).isEqualTo(der.length - 2);
            BigInteger[] rs = readDer(der);
            if (rs[1].compareTo(N.shiftRight(1)) > 0) {
                high++;
            }
            EthereumSignature signature = signer.sign(digest);
            assertThat(signature.r()).isEqualTo(rs[0]);
            assertThat(signature.s()).isLessThanOrEqualTo(N.shiftRight(1))
                    .isIn(rs[1], N.subtract(rs[1]));
            assertThat(signer.signDer(digest)).as("RFC 6979: deterministic").isEqualTo(der);
        }
        assertThat(high).isBetween(1, 63);
    }

    /** DER by hand: 30 len 02 lenR R 02 lenS S. */
    private static BigInteger[] readDer(byte[] der) {
        int at = 2;
        assertThat(der[at]).isEqualTo((byte) 0x02);
        int lr = der[at + 1];
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(der, at + 2, at + 2 + lr));
        at += 2 + lr;
        assertThat(der[at]).isEqualTo((byte) 0x02);
        int ls = der[at + 1];
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(der, at + 2, at + 2 + ls));
        assertThat(at + 2 + ls).isEqualTo(der.length);
        return new BigInteger[] {r, s};
    }
}
