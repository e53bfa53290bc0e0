package io.waybill.domain.identity;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class EpcTest {
    /** EPC Tag Data Standard example: GTIN 80614141123458, serial 6789. */
    private static final String TDS_SGTIN = "urn:epc:id:sgtin:0614141.812345.6789";
    /** EPC Tag Data Standard example: SSCC 106141412345678908. */
    private static final String TDS_SSCC = "urn:epc:id:sscc:0614141.1234567890";

    @Nested
    class PureIdentityUrns {

        @ParameterizedTest
        @ValueSource(strings = {TDS_SGTIN, "URN:EPC:ID:SGTIN:0614141.812345.6789", "  urn:epc:id:sgtin:0614141.812345.6789 "})
        void sgtinIsNormalisedToLowerCasePrefix(String input) {
            assertThat(Epc.parse(input, "epc")).isEqualTo(TDS_SGTIN);
        }

        @Test
        void ssccUrnIsValidatedAndKept() {
            assertThat(Epc.parse(TDS_SSCC)).isEqualTo(TDS_SSCC);
            assertThat(Epc.parse("urn:epc:id:SSCC:0614141.1234567890")).isEqualTo(TDS_SSCC);
        }

        @Test
        void serialEscapesAreNormalisedToUpperCaseHex() {
            assertThat(Epc.parse("urn:epc:id:sgtin:0614141.812345.A%2fb%3c%22%25%26%3E%3f"))
                    .isEqualTo("urn:epc:id:sgtin:0614141.812345.A%2Fb%3C%22%25%26%3E%3F");
        }

        @Test
        void serialMayUseEveryUnescapedCharacterOfCharacterSet82() {
            String serial = "aZ09!'()*+,-.:;=_";
            assertThat(Epc.parse("urn:epc:id:sgtin:0614141.812345." + serial))
                    .isEqualTo("urn:epc:id:sgtin:0614141.812345." + serial);
        }

        @Test
        void serialOfTwentyCharactersCountsEscapesAsOneCharacter() {
            String serial = "%2F".repeat(20);
            assertThat(Epc.parse("urn:epc:id:sgtin:0614141.812345." + serial)).endsWith(serial);
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345." + "1".repeat(21)),
                    RejectionReason.INVALID_IDENTITY)
                    .endsWith("serial has 21 characters, expected 1 to 20");
        }

        @Test
        void emptySerialIsRejected() {
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345."), RejectionReason.INVALID_IDENTITY)
                    .endsWith("serial has 0 characters, expected 1 to 20");
        }

        @Test
        void characterThatMustBeEscapedIsRejectedWithItsEscape() {
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345.AB/C"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("serial contains '/' at serial position 3, which must be written as %2F");
        }

        @Test
        void characterOutsideCharacterSet82IsRejected() {
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345.AB#C"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("serial contains '#' at serial position 3, which is not in the GS1 AI encodable"
                            + " character set 82");
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345.AB C"), RejectionReason.INVALID_IDENTITY)
                    .contains("a space at serial position 3");
        }

        @Test
        void escapeOfAnOrdinaryCharacterIsRejected() {
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345.%41"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("serial escape \"%41\" is not allowed; the only escapes are %22 %25 %26 %2F %3C %3E %3F");
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.812345.A%2"), RejectionReason.INVALID_IDENTITY)
                    .contains("incomplete %-escape");
        }

        @Test
        void companyPrefixAndItemReferenceMustTotalThirteenDigits() {
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:0614141.81234.6789"), RejectionReason.INVALID_IDENTITY)
                    .isEqualTo("epc \"urn:epc:id:sgtin:0614141.81234.6789\": company prefix and item reference have"
                            + " 12 digits together, expected 13");
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin:06141.81234567.6789"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("company prefix has 5 digits, expected 6 to 12");
        }

        @Test
        void twelveDigitCompanyPrefixLeavesOnlyTheIndicatorDigit() {
            assertThat(Epc.parse("urn:epc:id:sgtin:061414112345.8.1")).isEqualTo("urn:epc:id:sgtin:061414112345.8.1");
        }

        @Test
        void otherSchemesAndFormsAreRejected() {
            assertRejected(() -> Epc.parse("urn:epc:id:sgln:0614141.12345.0"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("EPC scheme \"sgln\" is not accepted here; expected sgtin or sscc");
            assertRejected(() -> Epc.parse("urn:epc:tag:sgtin-96:3.0614141.812345.6789"), RejectionReason.INVALID_IDENTITY)
                    .contains("is an EPC tag URI, not a pure identity URI");
            assertRejected(() -> Epc.parse("3074257BF7194E4000001A85"), RejectionReason.INVALID_IDENTITY)
                    .contains("looks like a raw 96-bit tag encoding");
            assertRejected(() -> Epc.parse("urn:epc:id:sgtin"), RejectionReason.INVALID_IDENTITY)
                    .contains("has no scheme");
        }

        @Test
        void missingEpcIsMissingField() {
            assertRejected(() -> Epc.parse(null, "tags[0]"), RejectionReason.MISSING_FIELD).isEqualTo("tags[0]: missing");
        }

        @Test
        void ssccUrnWithWrongDigitCountIsRejected() {
            assertRejected(() -> Epc.parse("urn:epc:id:sscc:0614141.12345678901"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("company prefix and serial reference have 18 digits together, expected 17");
        }
    }

    @Nested
    class Conversions {

        @Test
        void sgtinIndicatorDigitMovesToTheFrontOfTheGtin() {
            assertThat(Epc.sgtinToGtin(TDS_SGTIN)).isEqualTo("80614141123458");
        }

        @Test
        void sgtinWithTwelveDigitCompanyPrefixConvertsToGtin() {
            String gtin = Epc.sgtinToGtin("urn:epc:id:sgtin:061414112345.0.1");
            assertThat(gtin).startsWith("0061414112345").hasSize(14);
            assertThat(Gs1.hasValidCheckDigit(gtin)).isTrue();
        }

        @Test
        void sgtinToGtinRejectsAnSsccUrn() {
            assertRejected(() -> Epc.sgtinToGtin(TDS_SSCC), RejectionReason.INVALID_IDENTITY)
                    .contains("is not an SGTIN EPC URN");
        }

        @Test
        void ssccOfGivesTheEighteenDigitSscc() {
            assertThat(Epc.ssccOf(TDS_SSCC)).isEqualTo("106141412345678908");
        }

        @Test
        void ssccOfRejectsAnSgtinUrn() {
            assertRejected(() -> Epc.ssccOf(TDS_SGTIN), RejectionReason.INVALID_IDENTITY)
                    .contains("is not an SSCC EPC URN");
        }

        @Test
        void isSsccLooksOnlyAtTheScheme() {
            assertThat(Epc.isSscc(TDS_SSCC)).isTrue();
            assertThat(Epc.isSscc(" URN:EPC:ID:SSCC:0614141.1234567890")).isTrue();
            assertThat(Epc.isSscc(TDS_SGTIN)).isFalse();
            assertThat(Epc.isSscc("106141412345678908")).isFalse();
            assertThat(Epc.isSscc(null)).isFalse();
        }
    }

    @Nested
    class Hex96 {

        @Test
        void tdsSgtin96ExampleDecodesToItsPureIdentity() {
            assertThat(Epc.fromHex96("3074257BF7194E4000001A85")).isEqualTo(TDS_SGTIN);
        }

        @Test
        void tdsSscc96ExampleDecodesToItsPureIdentity() {
            assertThat(Epc.fromHex96("3174257BF4499602D2000000")).isEqualTo(TDS_SSCC);
        }

        @Test
        void testEncoderReproducesTheTdsExamples() {
            assertThat(encodeSgtin96(3, 5, 614141, 812345, 6789)).isEqualTo("3074257BF7194E4000001A85");
            assertThat(encodeSscc96(3, 5, 614141, 1234567890, 0)).isEqualTo("3174257BF4499602D2000000");
        }

        @Test
        void hexIsCaseInsensitiveAndSurroundingWhitespaceIsIgnored() {
            assertThat(Epc.fromHex96(" 3074257bf7194e4000001a85\n")).isEqualTo(TDS_SGTIN);
        }

        @Test
        void filterValueIsNotPartOfTheIdentity() {
            // same SGTIN with filter 1 (point of sale item) instead of 3
            assertThat(Epc.fromHex96(encodeSgtin96(1, 5, 614141, 812345, 6789))).isEqualTo(TDS_SGTIN);
        }

        @ParameterizedTest(name = "partition {0}")
        @CsvSource({
                "0, 061414112345, 8,       urn:epc:id:sgtin:061414112345.8.274877906943",
                "1, 06141411234,  81,      urn:epc:id:sgtin:06141411234.81.0",
                "2, 0614141123,   812,     urn:epc:id:sgtin:0614141123.812.1",
                "3, 061414112,    8123,    urn:epc:id:sgtin:061414112.8123.42",
                "4, 06141411,     81234,   urn:epc:id:sgtin:06141411.81234.42",
                "5, 0614141,      812345,  urn:epc:id:sgtin:0614141.812345.42",
                "6, 061414,       8123456, urn:epc:id:sgtin:061414.8123456.42"
        })
        void everySgtin96PartitionPadsCompanyPrefixAndItemReference(int partition, String companyPrefix,
                                                                   String itemReference, String urn) {
            long serial = Long.parseLong(urn.substring(urn.lastIndexOf('.') + 1));
            String hex = encodeSgtin96(3, partition, Long.parseLong(companyPrefix), Long.parseLong(itemReference), serial);
            assertThat(Epc.fromHex96(hex)).isEqualTo(urn);
        }

        @ParameterizedTest(name = "partition {0}")
        @CsvSource({
                "0, 061414112345, 12345,       urn:epc:id:sscc:061414112345.12345",
                "1, 06141411234,  123456,      urn:epc:id:sscc:06141411234.123456",
                "2, 0614141123,   1234567,     urn:epc:id:sscc:0614141123.1234567",
                "3, 061414112,    12345678,    urn:epc:id:sscc:061414112.12345678",
                "4, 06141411,     123456789,   urn:epc:id:sscc:06141411.123456789",
                "5, 0614141,      0000000001,  urn:epc:id:sscc:0614141.0000000001",
                "6, 061414,       12345678901, urn:epc:id:sscc:061414.12345678901"
        })
        void everySscc96PartitionPadsCompanyPrefixAndSerialReference(int partition, String companyPrefix,
                                                                    String serialReference, String urn) {
            String hex = encodeSscc96(0, partition, Long.parseLong(companyPrefix), Long.parseLong(serialReference), 0);
            assertThat(Epc.fromHex96(hex)).isEqualTo(urn);
            assertThat(Gs1.hasValidCheckDigit(Epc.ssccOf(urn))).isTrue();
        }

        @Test
        void otherHeadersAreRejected() {
            // 0x32 is SGLN-96
            assertRejected(() -> Epc.fromHex96("3274257BF7194E4000001A85"), RejectionReason.INVALID_IDENTITY)
                    .isEqualTo("epc \"3274257BF7194E4000001A85\": header 0x32 is not SGTIN-96 (0x30) or SSCC-96 (0x31)");
            // an unprogrammed tag
            assertRejected(() -> Epc.fromHex96("000000000000000000000000", "portal.tags[3]"),
                    RejectionReason.INVALID_IDENTITY)
                    .startsWith("portal.tags[3] \"000000000000000000000000\": header 0x00");
        }

        @Test
        void reservedPartitionSevenIsRejected() {
            assertRejected(() -> Epc.fromHex96(encodeSgtin96(3, 7, 0, 0, 1)), RejectionReason.INVALID_IDENTITY)
                    .endsWith("partition value 7 is reserved (valid: 0 to 6)");
        }

        @Test
        void companyPrefixTooLargeForItsPartitionIsRejected() {
            // partition 5 gives 24 bits for a 7-digit company prefix; 2^24 - 1 = 16777215 has 8 digits
            assertRejected(() -> Epc.fromHex96(encodeSgtin96(3, 5, 16_777_215L, 812345, 1)),
                    RejectionReason.INVALID_IDENTITY)
                    .endsWith("company prefix 16777215 has more than the 7 digits of partition 5");
        }

        @Test
        void nonZeroSscc96ReservedBitsAreRejected() {
            assertRejected(() -> Epc.fromHex96(encodeSscc96(0, 5, 614141, 1234567890, 1)),
                    RejectionReason.INVALID_IDENTITY)
                    .endsWith("the 24 reserved bits of SSCC-96 are not zero");
        }

        @Test
        void wrongLengthAndNonHexAreRejected() {
            assertRejected(() -> Epc.fromHex96("3074257BF7194E4000001A8"), RejectionReason.INVALID_IDENTITY)
                    .endsWith("has 23 hex digits, expected 24 (a 96-bit EPC)");
            assertRejected(() -> Epc.fromHex96("0x3074257BF7194E4000001A85"), RejectionReason.INVALID_IDENTITY)
                    .contains("'x' at position 2");
            assertRejected(() -> Epc.fromHex96("3074 257B F719 4E40 0000 1A85"), RejectionReason.INVALID_IDENTITY)
                    .contains("a space at position 5");
        }

        @Test
        void missingHexIsMissingField() {
            assertRejected(() -> Epc.fromHex96(""), RejectionReason.MISSING_FIELD).isEqualTo("epc: blank");
        }

        /** Test-side SGTIN-96 encoder written from the TDS table (header 8, filter 3, partition 3, 44, serial 38). */
        private static String encodeSgtin96(int filter, int partition, long companyPrefix, long itemReference,
                                            long serial) {
            int[] companyPrefixBits = {40, 37, 34, 30, 27, 24, 20, 0};
            int cpBits = companyPrefixBits[partition];
            BigInteger bits = BigInteger.valueOf(0x30)
                    .shiftLeft(3).or(BigInteger.valueOf(filter))
                    .shiftLeft(3).or(BigInteger.valueOf(partition))
                    .shiftLeft(cpBits).or(BigInteger.valueOf(companyPrefix))
                    .shiftLeft(44 - cpBits).or(BigInteger.valueOf(itemReference))
                    .shiftLeft(38).or(BigInteger.valueOf(serial));
            return hex96(bits);
        }

        /** Test-side SSCC-96 encoder (header 8, filter 3, partition 3, 58, reserved 24). */
        private static String encodeSscc96(int filter, int partition, long companyPrefix, long serialReference,
                                           long reserved) {
            int[] companyPrefixBits = {40, 37, 34, 30, 27, 24, 20};
            int cpBits = companyPrefixBits[partition];
            BigInteger bits = BigInteger.valueOf(0x31)
                    .shiftLeft(3).or(BigInteger.valueOf(filter))
                    .shiftLeft(3).or(BigInteger.valueOf(partition))
                    .shiftLeft(cpBits).or(BigInteger.valueOf(companyPrefix))
                    .shiftLeft(58 - cpBits).or(BigInteger.valueOf(serialReference))
                    .shiftLeft(24).or(BigInteger.valueOf(reserved));
            return hex96(bits);
        }

        private static String hex96(BigInteger bits) {
            String hex = bits.toString(16).toUpperCase();
            return "0".repeat(24 - hex.length()) + hex;
        }
    }
}
