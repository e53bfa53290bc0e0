package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class GlnTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "0614141123452",
            " 0614141123452 ",
            "urn:epc:id:sgln:0614141.12345.0",
            "urn:epc:id:SGLN:0614141.12345.0",
            "urn:epc:id:sgln:061414112345..0"
    })
    void everyAcceptedFormGivesTheThirteenDigitGln(String input) {
        assertThat(Gln.parse(input, "site")).isEqualTo("0614141123452");
    }

    @Test
    void glnWithLeadingZeroAndZeroLocationReferenceIsValid() {
        assertThat(Gln.parse("0614141000005")).isEqualTo("0614141000005");
        assertThat(Gln.parse("urn:epc:id:sgln:0614141.00000.0")).isEqualTo("0614141000005");
    }

    @Test
    void glnWithWrongCheckDigitIsRejectedWithExpectedDigit() {
        assertRejected(() -> Gln.parse("0614141123453", "geofence.gln"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("geofence.gln \"0614141123453\": check digit is 3, expected 2");
    }

    @Test
    void sglnWithAnExtensionIsASubLocationNotAGln() {
        assertRejected(() -> Gln.parse("urn:epc:id:sgln:0614141.12345.400"), RejectionReason.INVALID_IDENTITY)
                .endsWith("extension \"400\" identifies a sub-location, not a GLN; only extension 0 (none) is accepted");
    }

    @Test
    void wrongLengthIsRejected() {
        assertRejected(() -> Gln.parse("614141123452"), RejectionReason.INVALID_IDENTITY)
                .isEqualTo("gln \"614141123452\": has 12 digits, expected 13");
    }

    @Test
    void malformedSglnIsRejected() {
        assertRejected(() -> Gln.parse("urn:epc:id:sgln:0614141.12345"), RejectionReason.INVALID_IDENTITY)
                .contains("exactly two '.'");
        assertRejected(() -> Gln.parse("urn:epc:id:sgln:0614141.1234.0"), RejectionReason.INVALID_IDENTITY)
                .endsWith("company prefix and location reference have 11 digits together, expected 12");
        assertRejected(() -> Gln.parse("urn:epc:id:sscc:0614141.1234567890"), RejectionReason.INVALID_IDENTITY)
                .contains("is not an SGLN EPC URN");
    }

    @Test
    void missingGlnIsMissingField() {
        assertRejected(() -> Gln.parse(null), RejectionReason.MISSING_FIELD).isEqualTo("gln: missing");
    }

    @Test
    void allZeroPlaceholderIsRejected() {
        assertRejected(() -> Gln.parse("0000000000000"), RejectionReason.INVALID_IDENTITY).contains("all zeros");
    }
}
