package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class MassUnitTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "kg, KILOGRAM", "KG, KILOGRAM", "KGM, KILOGRAM", "kgm, KILOGRAM",
            "lb, POUND", "LB, POUND", "lbs, POUND", "LBS, POUND", "LBR, POUND",
            "g, GRAM", "G, GRAM", "GRM, GRAM",
            "t, TONNE", "T, TONNE", "TNE, TONNE",
            "' kg ', KILOGRAM"
    })
    void acceptedCodesAreCaseInsensitive(String code, MassUnit unit) {
        assertThat(MassUnit.parse(code)).isEqualTo(unit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kilo", "kgs", "oz", "st", "ton", "mt", "lb.", "k g"})
    void otherCodesAreUnknownUnits(String code) {
        assertRejected(() -> MassUnit.parse(code, "grossWeight.uom"), RejectionReason.UNKNOWN_UNIT)
                .isEqualTo("grossWeight.uom \"" + code + "\": is not a mass unit; accepted: kg, KGM, lb, lbs, LBR, g,"
                        + " GRM, t, TNE");
    }

    @Test
    void missingUnitIsMissingField() {
        assertRejected(() -> MassUnit.parse(null), RejectionReason.MISSING_FIELD).isEqualTo("massUnit: missing");
    }

    @Test
    void poundIsExactlyTheInternationalAvoirdupoisPound() {
        // 1000 lb = 453.59237 kg exactly, rounded half-even to 453.592
        assertThat(MassUnit.POUND.toKilograms(1000)).isEqualTo(453.592);
        // 100 000 lb = 45 359.237 kg, exact at 0.001 kg
        assertThat(MassUnit.POUND.toKilograms(100_000)).isEqualTo(45_359.237);
        assertThat(MassUnit.POUND.toKilograms(1)).isEqualTo(0.454);
    }

    @ParameterizedTest(name = "{0} {1} -> {2} kg")
    @CsvSource({
            "1234.5678, KILOGRAM, 1234.568",
            "0.0005, KILOGRAM, 0.0",      // half to even
            "0.0015, KILOGRAM, 0.002",    // half to even
            "2500, GRAM, 2.5",
            "1, GRAM, 0.001",
            "0.4, GRAM, 0.0",
            "1.2345, TONNE, 1234.5",
            "22, TONNE, 22000.0",
            "2204.62, POUND, 999.999"
    })
    void convertsToKilogramsRoundedToGrams(double value, MassUnit unit, double kilograms) {
        assertThat(unit.toKilograms(value)).isEqualTo(kilograms);
    }

    @Test
    void nonFiniteValuesPassThroughForThePlausibilityCheck() {
        assertThat(MassUnit.TONNE.toKilograms(Double.NaN)).isNaN();
    }
}
