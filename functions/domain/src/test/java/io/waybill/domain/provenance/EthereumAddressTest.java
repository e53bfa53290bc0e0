package io.waybill.domain.provenance;

import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Addresses of secp256k1 keys. Expected values are published vectors: Keccak-256 of the empty string, the address of
 * private key 1 (well known), the first anvil/hardhat dev account, and the four test addresses of EIP-55 itself.
 */
class EthereumAddressTest {
    private static final ECPoint G = CustomNamedCurves.getByName("secp256k1").getG();
    private static final HexFormat HEX = HexFormat.of();

    /** The generator point written out from SEC 2 (section 2.4.1), in a KMS-style SubjectPublicKeyInfo. */
    private static final String SPKI_PREFIX = "3056301006072a8648ce3d020106052b8104000a034200";
    private static final String G_UNCOMPRESSED = "04"
            + "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    @Test
    void keccak256IsEthereumsKeccakNotSha3() {
        // Keccak-256("") as published (SHA3-256("") would be a7ffc6f8...)
        assertThat(HEX.formatHex(EthereumAddress.keccak256(new byte[0])))
                .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    }

    @Test
    void privateKeyOneHasTheWellKnownAddress() {
        assertThat(EthereumAddress.of(G.multiply(BigInteger.ONE)).toString())
                .isEqualTo("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    }

    @Test
    void theFirstAnvilDevKeyHasItsPublishedAddress() {
        BigInteger key = new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
        assertThat(EthereumAddress.of(G.multiply(key)).toString())
                .isEqualTo("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    }

    @Test
    void aKmsPublicKeyIsReadFromItsSubjectPublicKeyInfo() {
        byte[] spki = HEX.parseHex(SPKI_PREFIX + G_UNCOMPRESSED);
        assertThat(EthereumAddress.ofSubjectPublicKeyInfo(spki).toString())
                .isEqualTo("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    }

    @Test
    void aPublicKeyOnAnotherCurveOrWithTrailingBytesOrOffTheCurveIsRefused() {
        // prime256v1 (1.2.840.10045.3.1.7) in place of secp256k1
        String p256 = "3059301306072a8648ce3d020106082a8648ce3d030107034200";
        assertThatThrownBy(() -> EthereumAddress.ofSubjectPublicKeyInfo(HEX.parseHex(p256 + G_UNCOMPRESSED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secp256k1");
        assertThatThrownBy(() -> EthereumAddress.ofSubjectPublicKeyInfo(HEX.parseHex(SPKI_PREFIX + G_UNCOMPRESSED + "00")))
                .isInstanceOf(IllegalArgumentException.class);
        // last byte of y changed: (x, y+1) is not on the curve
        String offCurve = G_UNCOMPRESSED.substring(0, G_UNCOMPRESSED.length() - 2) + "b9";
        assertThatThrownBy(() -> EthereumAddress.ofSubjectPublicKeyInfo(HEX.parseHex(SPKI_PREFIX + offCurve)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point");
        assertThatThrownBy(() -> EthereumAddress.ofSubjectPublicKeyInfo("not der".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"})
    void eip55TestVectorsRoundTripFromLowerCase(String checksummed) {
        assertThat(EthereumAddress.parse(checksummed.toLowerCase()).toString()).isEqualTo(checksummed);
        assertThat(EthereumAddress.parse(checksummed)).isEqualTo(EthereumAddress.parse(checksummed.toUpperCase().replace("0X", "0x")));
    }

    @Test
    void aMixedCaseAddressWithABadChecksumIsRefused() {
        assertThatThrownBy(() -> EthereumAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> EthereumAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
