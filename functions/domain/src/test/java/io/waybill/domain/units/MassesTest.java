package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class MassesTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.001, 950.5, 30_480.0, 100_000.0})
    void plausibleMassesIncludingTheBoundsAreReturned(double kg) {
        assertThat(Masses.requirePlausibleKilograms(kg, "grossWeight.value")).isEqualTo(kg);
    }

    @Test
    void negativeMassIsImpossible() {
        assertRejected(() -> Masses.requirePlausibleKilograms(-0.5, "grossWeight.value"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("grossWeight.value -0.5 kg: a mass cannot be negative");
    }

    @Test
    void massAboveOneHundredTonnesIsImpossibleForOneShipment() {
        assertRejected(() -> Masses.requirePlausibleKilograms(100_000.001, "w"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("w 100000.001 kg: is more than the plausible maximum of 100000 kg for one shipment"
                        + " (check the unit)");
    }

    @Test
    void nonFiniteMassIsImpossible() {
        assertRejected(() -> Masses.requirePlausibleKilograms(Double.NaN, "w"), RejectionReason.IMPOSSIBLE_VALUE)
                .isEqualTo("w NaN kg: is not a finite mass");
        assertRejected(() -> Masses.requirePlausibleKilograms(Double.POSITIVE_INFINITY, "w"),
                RejectionReason.IMPOSSIBLE_VALUE);
    }

    @Test
    void roundsToGramsHalfToEvenWithoutNegativeZero() {
        assertThat(Masses.round(1.0005)).isEqualTo(1.0);
        assertThat(Masses.round(1.0015)).isEqualTo(1.002);
        assertThat(Masses.round(-0.0001)).isEqualTo(0.0).isNotNegative();
        assertThat(Masses.round(Double.NaN)).isNaN();
    }
}
