package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
            "39.2, 39.2",
            "' 39.2 ', 39.2",
            "-4, -4.0",
            "+4.5, 4.5",
            "0.5, 0.5",
            ".5, 0.5",
            "5., 5.0",
            "007, 7.0",
            "1.5e3, 1500.0",
            "1.5E-3, 0.0015",
            "-0, 0.0",
            "-0.0, 0.0"
    })
    void decimalNumbersInStringsAreParsed(String text, double expected) {
        assertThat(Numbers.parseDecimal(text, "temp")).isEqualTo(expected);
    }

    @Test
    void negativeZeroBecomesZero() {
        assertThat(Numbers.parseDecimal("-0", "temp")).isNotNegative();
        assertThat(1 / Numbers.parseDecimal("-0.0", "temp")).isPositive();
    }

    @Test
    void commaDecimalIsRejectedNotReinterpreted() {
        assertRejected(() -> Numbers.parseDecimal(" 4,5", "reading.temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("reading.temp \"4,5\": contains ','; only '.' is accepted as the decimal separator,"
                        + " without thousands separators");
        assertRejected(() -> Numbers.parseDecimal("1,000.5", "w"), RejectionReason.IMPOSSIBLE_VALUE)
                .contains("contains ','");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "+inf", "INF"})
    void nonFiniteWordsAreRejected(String text) {
        assertRejected(() -> Numbers.parseDecimal(text, "temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("temp \"" + text + "\": is not a finite number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1A", "0X1p3", "-0x10"})
    void hexadecimalIsRejected(String text) {
        assertRejected(() -> Numbers.parseDecimal(text, "temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("temp \"" + text + "\": is hexadecimal; a decimal number is expected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4.5°", "1d", "1f", "--4", "4-", "1e", ".", "e5", "4.5.6", "٤"})
    void otherTextIsRejected(String text) {
        assertRejected(() -> Numbers.parseDecimal(text, "temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .endsWith("is not a decimal number (e.g. 39.2, -4 or 1.5e3)");
    }

    @Test
    void innerWhitespaceIsRejected() {
        assertRejected(() -> Numbers.parseDecimal("4 5", "temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("temp \"4 5\": contains whitespace at position 2 (only surrounding whitespace is ignored)");
    }

    @Test
    void overflowingExponentIsRejected() {
        assertRejected(() -> Numbers.parseDecimal("1e999", "temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("temp \"1e999\": is too large for a number");
    }

    @Test
    void missingOrBlankIsMissingField() {
        assertRejected(() -> Numbers.parseDecimal(null, "temp"), RejectionReason.MISSING_FIELD).isEqualTo("temp: missing");
        assertRejected(() -> Numbers.parseDecimal("  ", "temp"), RejectionReason.MISSING_FIELD).isEqualTo("temp: blank");
        assertRejected(() -> Numbers.parseInteger("", "seq"), RejectionReason.MISSING_FIELD).isEqualTo("seq: blank");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({
            "42, 42",
            "' 42 ', 42",
            "+42, 42",
            "-7, -7",
            "0042, 42",
            "9223372036854775807, 9223372036854775807",
            "-9223372036854775808, -9223372036854775808",
            "1732700000000, 1732700000000"
    })
    void integersInStringsAreParsed(String text, long expected) {
        assertThat(Numbers.parseInteger(text, "seq")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.0", "1e3", "4."})
    void decimalsAreNotIntegers(String text) {
        assertRejected(() -> Numbers.parseInteger(text, "seq"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("seq \"" + text + "\": is not an integer; a whole number without fraction or exponent is"
                        + " expected");
    }

    @Test
    void integerOutsideSixtyFourBitsIsRejected() {
        assertRejected(() -> Numbers.parseInteger("9223372036854775808", "seq"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("seq \"9223372036854775808\": is outside the 64-bit integer range");
    }

    @Test
    void integerGarbageIsRejected() {
        assertRejected(() -> Numbers.parseInteger("0x2A", "seq"), RejectionReason.IMPOSSIBLE_VALUE)
                .endsWith("is hexadecimal; a decimal integer is expected");
        assertRejected(() -> Numbers.parseInteger("1,000", "seq"), RejectionReason.IMPOSSIBLE_VALUE)
                .contains("contains ','");
        assertRejected(() -> Numbers.parseInteger("forty-two", "seq"), RejectionReason.IMPOSSIBLE_VALUE)
                .endsWith("is not an integer (e.g. 42 or -7)");
    }
}
