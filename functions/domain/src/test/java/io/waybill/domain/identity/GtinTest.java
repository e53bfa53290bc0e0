package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class GtinTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "96385074,       00000096385074",  // GTIN-8 (EAN-8)
            "036000291452,   00036000291452",  // GTIN-12 (UPC-A)
            "4006381333931,  04006381333931",  // GTIN-13 (EAN-13)
            "80614141123458, 80614141123458",  // GTIN-14
            "' 4006381333931 ', 04006381333931"
    })
    void everyGtinLengthIsLeftPaddedToGtin14(String input, String gtin14) {
        assertThat(Gtin.parse(input, "gtin")).isEqualTo(gtin14);
        assertThat(Gs1.hasValidCheckDigit(gtin14)).isTrue();
    }

    @Test
    void gtinWithWrongCheckDigitIsRejectedWithExpectedDigit() {
        assertRejected(() -> Gtin.parse("4006381333932", "item.gtin"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("item.gtin \"4006381333932\": check digit is 2, expected 1");
    }

    @Test
    void unsupportedLengthsAreRejected() {
        assertRejected(() -> Gtin.parse("40063813339"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("gtin \"40063813339\": has 11 digits, expected 8, 12, 13 or 14"
                        + " (GTIN-8, GTIN-12, GTIN-13, GTIN-14)");
    }

    @Test
    void nonDigitsAreRejected() {
        assertRejected(() -> Gtin.parse("4006381-333931"), RejectionReason.INVALID_IDENTITY)
                .contains("'-' at position 8");
    }

    @Test
    void missingGtinIsMissingField() {
        assertRejected(() -> Gtin.parse(" \t"), RejectionReason.MISSING_FIELD).isEqualTo("gtin: blank");
    }

    @Test
    void allZeroPlaceholderIsRejected() {
        assertRejected(() -> Gtin.parse("00000000"), RejectionReason.INVALID_IDENTITY).contains("all zeros");
    }
}
