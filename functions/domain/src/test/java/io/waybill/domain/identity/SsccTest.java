package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsccTest {
    private static final String TDS_SSCC = "106141412345678908";

    @ParameterizedTest
    @ValueSource(strings = {
            "106141412345678908",
            "(00)106141412345678908",
            "00106141412345678908",
            "urn:epc:id:sscc:0614141.1234567890",
            "URN:EPC:ID:SSCC:0614141.1234567890",
            "  106141412345678908\t",
            "\n(00)106141412345678908 "
    })
    void everyAcceptedFormGivesTheEighteenDigitSscc(String input) {
        assertThat(Sscc.parse(input)).isEqualTo(TDS_SSCC);
    }

    @Test
    void leadingZerosAreKept() {
        assertThat(Sscc.parse("003456789012345670")).isEqualTo("003456789012345670");
        assertThat(Sscc.parse("00003456789012345670")).isEqualTo("003456789012345670");
    }

    @Test
    void ssccWithWrongCheckDigitIsRejectedWithExpectedDigit() {
        assertRejected(() -> Sscc.parse("003456789012345676"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"003456789012345676\": check digit is 6, expected 0");
    }

    @Test
    void rejectionNamesTheFieldTheCallerPasses() {
        assertRejected(() -> Sscc.parse("106141412345678907", "shipment.sscc"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("shipment.sscc \"106141412345678907\": check digit is 7, expected 8");
    }

    @Test
    void urnComputesTheCheckDigitFromExtensionCompanyPrefixAndSerialReference() {
        // extension digit 1 moves to the front: 1 + 0614141 + 234567890 + check digit 8
        assertThat(Sscc.parse("urn:epc:id:sscc:0614141.1234567890")).isEqualTo(TDS_SSCC);
        // 12-digit company prefix leaves 5 digits for extension digit + serial reference
        assertThat(Sscc.parse("urn:epc:id:sscc:061414112345.06789"))
                .isEqualTo("006141411234567890")
                .satisfies(s -> assertThat(Gs1.hasValidCheckDigit(s)).isTrue());
    }

    @Test
    void tooShortAndTooLongAreRejectedWithTheDigitCount() {
        assertRejected(() -> Sscc.parse("10614141234567890"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"10614141234567890\": has 17 digits, expected 18");
        assertRejected(() -> Sscc.parse("1061414123456789080"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"1061414123456789080\": has 19 digits, expected 18");
        assertRejected(() -> Sscc.parse("(00)10614141234567890"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"(00)10614141234567890\": has 17 digits after the application identifier (00),"
                        + " expected 18");
    }

    @Test
    void twentyDigitsWithoutTheApplicationIdentifierAreRejected() {
        assertRejected(() -> Sscc.parse("11106141412345678908"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"11106141412345678908\": has 20 digits, expected 18"
                        + " (or 20 starting with the application identifier 00)");
    }

    @Test
    void innerWhitespaceIsRejectedWithItsPosition() {
        assertRejected(() -> Sscc.parse("106141412 345678908"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"106141412 345678908\": contains a space at position 10; only digits 0-9 are"
                        + " allowed (only surrounding whitespace is ignored)");
        assertRejected(() -> Sscc.parse("(00) 106141412345678908"), RejectionReason.INVALID_IDENTITY)
                .contains("a space at position 5");
    }

    @Test
    void letterOInsteadOfZeroIsRejectedWithItsPosition() {
        assertRejected(() -> Sscc.parse("1O6141412345678908"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("sscc \"1O6141412345678908\": contains 'O' at position 2; only digits 0-9 are allowed");
    }

    @Test
    void missingAndBlankAreMissingFieldWithTheFieldName() {
        assertRejected(() -> Sscc.parse(null, "shipment.sscc"), RejectionReason.MISSING_FIELD)
                .isEqualTo("shipment.sscc: missing");
        assertRejected(() -> Sscc.parse("   ", "shipment.sscc"), RejectionReason.MISSING_FIELD)
                .isEqualTo("shipment.sscc: blank");
        assertRejected(() -> Sscc.parse(""), RejectionReason.MISSING_FIELD).isEqualTo("sscc: blank");
    }

    @Test
    void allZeroPlaceholderIsRejected() {
        assertRejected(() -> Sscc.parse("000000000000000000"), RejectionReason.INVALID_IDENTITY)
                .contains("all zeros");
    }

    @Test
    void malformedUrnsAreRejected() {
        assertRejected(() -> Sscc.parse("urn:epc:id:sgtin:0614141.812345.6789"), RejectionReason.INVALID_IDENTITY)
                .contains("is not an SSCC EPC URN");
        assertRejected(() -> Sscc.parse("urn:epc:id:sscc:06141411234567890"), RejectionReason.INVALID_IDENTITY)
                .contains("exactly one '.'");
        assertRejected(() -> Sscc.parse("urn:epc:id:sscc:0614141.123456789"), RejectionReason.INVALID_IDENTITY)
                .endsWith("company prefix and serial reference have 16 digits together, expected 17");
        assertRejected(() -> Sscc.parse("urn:epc:id:sscc:06141.123456789012"), RejectionReason.INVALID_IDENTITY)
                .endsWith("company prefix has 5 digits, expected 6 to 12");
        assertRejected(() -> Sscc.parse("urn:epc:id:sscc:0614141.12345X7890"), RejectionReason.INVALID_IDENTITY)
                .contains("'X' at serial reference position 6");
    }

    @Test
    void toUrnSplitsAtTheCompanyPrefixLength() {
        assertThat(Sscc.toUrn(TDS_SSCC, 7)).isEqualTo("urn:epc:id:sscc:0614141.1234567890");
        assertThat(Sscc.toUrn(TDS_SSCC, 12)).isEqualTo("urn:epc:id:sscc:061414123456.17890");
        assertThat(Sscc.toUrn(TDS_SSCC, 6)).isEqualTo("urn:epc:id:sscc:061414.11234567890");
    }

    @Test
    void toUrnRoundTripsThroughParse() {
        for (int length = 6; length <= 12; length++) {
            assertThat(Sscc.parse(Sscc.toUrn(TDS_SSCC, length))).isEqualTo(TDS_SSCC);
        }
    }

    @Test
    void toUrnRejectsAnImpossibleCompanyPrefixLengthAsAProgrammingError() {
        assertThatThrownBy(() -> Sscc.toUrn(TDS_SSCC, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sscc.toUrn(TDS_SSCC, 13)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toUrnRejectsAnInvalidSscc() {
        assertRejected(() -> Sscc.toUrn("106141412345678907", 7), RejectionReason.INVALID_IDENTITY)
                .contains("check digit is 7, expected 8");
    }

    @Test
    void longGarbageIsTruncatedInTheDetail() {
        String garbage = "9".repeat(500);
        assertRejected(() -> Sscc.parse(garbage), RejectionReason.INVALID_IDENTITY)
                .contains("...(500 chars)")
                .hasSizeLessThan(200);
    }
}
