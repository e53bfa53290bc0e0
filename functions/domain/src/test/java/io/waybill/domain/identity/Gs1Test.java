package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class Gs1Test {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // SSCC, GS1 General Specifications / EPC TDS example
            "10614141234567890, 8",
            // GTIN-14, EPC TDS SGTIN example
            "8061414112345, 8",
            // GLN, EPC TDS SGLN example
            "061414112345, 2",
            // GTIN-13 (EAN-13 4006381333931)
            "400638133393, 1",
            // GTIN-12 (UPC-A 036000291452)
            "03600029145, 2",
            // GTIN-8 (EAN-8 96385074)
            "9638507, 4",
            // a sum that is already a multiple of ten gives 0, not 10
            "00345678901234567, 0"
    })
    void checkDigitMatchesPublishedGs1Keys(String digits, int expected) {
        assertThat(Gs1.checkDigit(digits)).isEqualTo(expected);
    }

    @Test
    void checkDigitWeightsTheRightmostDigitByThree() {
        assertThat(Gs1.checkDigit("1")).isEqualTo(7);  // 1*3 = 3 -> 7
        assertThat(Gs1.checkDigit("10")).isEqualTo(9); // 0*3 + 1*1 = 1 -> 9
    }

    @Test
    void leadingZerosDoNotChangeTheCheckDigit() {
        assertThat(Gs1.checkDigit("000000" + "9638507")).isEqualTo(Gs1.checkDigit("9638507"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"106141412345678908", "80614141123458", "0614141123452", "96385074", "0614141000005"})
    void validKeysHaveValidCheckDigits(String key) {
        assertThat(Gs1.hasValidCheckDigit(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"106141412345678907", "80614141123459", "0", "10614141234567890O", " 106141412345678908"})
    void wrongOrMalformedKeysDoNotHaveValidCheckDigits(String key) {
        assertThat(Gs1.hasValidCheckDigit(key)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void absentKeysDoNotHaveValidCheckDigits(String key) {
        assertThat(Gs1.hasValidCheckDigit(key)).isFalse();
    }

    @Test
    void checkDigitOfNonDigitsIsRejected() {
        assertRejected(() -> Gs1.checkDigit("12A4"), RejectionReason.INVALID_IDENTITY)
                .contains("'A' at position 3");
        assertRejected(() -> Gs1.checkDigit(""), RejectionReason.INVALID_IDENTITY);
        assertRejected(() -> Gs1.checkDigit(null), RejectionReason.INVALID_IDENTITY);
    }

    @Test
    void nonAsciiDigitsAreNotDigits() {
        // Arabic-Indic digits satisfy Character.isDigit but are not GS1 digits
        assertThat(Gs1.hasValidCheckDigit("\u0661\u0660")).isFalse();
    }
}
