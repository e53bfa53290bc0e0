package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class TemperaturesTest {

    @ParameterizedTest
    @ValueSource(doubles = {-100.0, -78.5, 0.0, 4.0, 25.0, 150.0})
    void plausibleTemperaturesIncludingTheBoundsAreReturned(double celsius) {
        assertThat(Temperatures.requirePlausibleCelsius(celsius, "temp")).isEqualTo(celsius);
    }

    @Test
    void temperatureBelowMinusOneHundredIsImpossible() {
        assertRejected(() -> Temperatures.requirePlausibleCelsius(-300, "reading.temp"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("reading.temp -300 °C: is outside the plausible range -100 to 150 °C"
                        + " (check the unit and the sensor)");
        assertRejected(() -> Temperatures.requirePlausibleCelsius(-100.01, "t"), RejectionReason.IMPOSSIBLE_VALUE)
                .startsWith("t -100.01 °C");
    }

    @Test
    void temperatureAboveOneHundredFiftyIsImpossible() {
        assertRejected(() -> Temperatures.requirePlausibleCelsius(150.01, "t"), RejectionReason.IMPOSSIBLE_VALUE)
                .startsWith("t 150.01 °C: is outside the plausible range");
    }

    @Test
    void notANumberAndInfinityAreImpossible() {
        assertRejected(() -> Temperatures.requirePlausibleCelsius(Double.NaN, "t"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("t NaN °C: is not a finite temperature");
        assertRejected(() -> Temperatures.requirePlausibleCelsius(Double.NEGATIVE_INFINITY, "t"),
                RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("t -Infinity °C: is not a finite temperature");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "4.000000000000001, 4.0",
            "3.9999999999999996, 4.0",
            "4.005, 4.0",      // half to even: down to the even hundredth
            "4.015, 4.02",     // half to even: up to the even hundredth
            "4.0051, 4.01",
            "-4.005, -4.0",
            "-0.001, 0.0",
            "21.5, 21.5"
    })
    void roundsToHundredthsHalfToEven(double celsius, double rounded) {
        assertThat(Temperatures.round(celsius)).isEqualTo(rounded);
    }

    @Test
    void roundingNeverProducesNegativeZero() {
        assertThat(Temperatures.round(-0.004)).isEqualTo(0.0).isNotNegative();
        assertThat(1 / Temperatures.round(-0.004)).isPositive();
    }

    @Test
    void roundingPassesNonFiniteValuesThrough() {
        assertThat(Temperatures.round(Double.NaN)).isNaN();
        assertThat(Temperatures.round(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void roundingIsIdempotent() {
        double once = Temperatures.round(17.777777);
        assertThat(Temperatures.round(once)).isEqualTo(once).isEqualTo(17.78);
    }
}
