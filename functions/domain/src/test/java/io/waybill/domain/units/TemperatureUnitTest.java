package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class TemperatureUnitTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "C, CELSIUS", "°C, CELSIUS", "degC, CELSIUS", "celsius, CELSIUS", "c, CELSIUS", "DEGC, CELSIUS",
            "Celsius, CELSIUS", "°c, CELSIUS", "CEL, CELSIUS",
            "F, FAHRENHEIT", "°F, FAHRENHEIT", "degF, FAHRENHEIT", "fahrenheit, FAHRENHEIT", "f, FAHRENHEIT",
            "FAHRENHEIT, FAHRENHEIT", "FAH, FAHRENHEIT",
            "K, KELVIN", "k, KELVIN", "kelvin, KELVIN", "Kelvin, KELVIN", "KEL, KELVIN",
            "' degC ', CELSIUS"
    })
    void acceptedCodesAreCaseInsensitive(String code, TemperatureUnit unit) {
        assertThat(TemperatureUnit.parse(code)).isEqualTo(unit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"°K", "deg C", "centigrade", "R", "Rankine", "CC", "℃", "C°"})
    void otherCodesAreUnknownUnits(String code) {
        assertRejected(() -> TemperatureUnit.parse(code, "reading.unit"), RejectionReason.UNKNOWN_UNIT)
                .startsWith("reading.unit \"" + code + "\": is not a temperature unit; accepted: C, °C, degC");
    }

    @Test
    void missingUnitIsMissingField() {
        assertRejected(() -> TemperatureUnit.parse(null), RejectionReason.MISSING_FIELD)
                .isEqualTo("temperatureUnit: missing");
        assertRejected(() -> TemperatureUnit.parse(" ", "unit"), RejectionReason.MISSING_FIELD).isEqualTo("unit: blank");
    }

    @Test
    void doorwayFahrenheitReadingBecomesExactCelsius() {
        // in plain double arithmetic (39.2 - 32) * 5 / 9 is 4.000000000000001
        assertThat(TemperatureUnit.FAHRENHEIT.toCelsius(39.2)).isEqualTo(4.0);
    }

    @ParameterizedTest(name = "{0} °F -> {1} °C")
    @CsvSource({
            "32, 0.0",
            "212, 100.0",
            "-40, -40.0",
            "98.6, 37.0",
            "35.6, 2.0",
            "46.4, 8.0",
            "0, -17.78",
            "-4, -20.0",
            "33, 0.56",
            "31.99, -0.01"
    })
    void fahrenheitConvertsToCelsiusRoundedToHundredths(double fahrenheit, double celsius) {
        assertThat(TemperatureUnit.FAHRENHEIT.toCelsius(fahrenheit)).isEqualTo(celsius);
    }

    @ParameterizedTest(name = "{0} K -> {1} °C")
    @CsvSource({"273.15, 0.0", "277.15, 4.0", "0, -273.15", "255.372, -17.78"})
    void kelvinConvertsToCelsius(double kelvin, double celsius) {
        assertThat(TemperatureUnit.KELVIN.toCelsius(kelvin)).isEqualTo(celsius);
    }

    @Test
    void celsiusIsOnlyRounded() {
        assertThat(TemperatureUnit.CELSIUS.toCelsius(4.0)).isEqualTo(4.0);
        assertThat(TemperatureUnit.CELSIUS.toCelsius(4.126)).isEqualTo(4.13);
        assertThat(TemperatureUnit.CELSIUS.toCelsius(-0.0)).isEqualTo(0.0).isNotNegative();
    }

    @Test
    void nonFiniteValuesPassThroughForThePlausibilityCheck() {
        assertThat(TemperatureUnit.FAHRENHEIT.toCelsius(Double.NaN)).isNaN();
        assertThat(TemperatureUnit.KELVIN.toCelsius(Double.POSITIVE_INFINITY)).isInfinite();
    }

    @Test
    void conversionIsDeterministicAcrossEquivalentInputs() {
        assertThat(TemperatureUnit.FAHRENHEIT.toCelsius(39.2))
                .isEqualTo(TemperatureUnit.KELVIN.toCelsius(277.15))
                .isEqualTo(TemperatureUnit.CELSIUS.toCelsius(4));
    }
}
