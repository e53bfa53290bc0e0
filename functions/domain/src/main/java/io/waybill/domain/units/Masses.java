package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Plausibility and rounding of masses in kilograms. */
public final class Masses {
    /** Heaviest plausible single shipment, in kg (a full 40-ft container is about 30 000 kg gross). */
    public static final double MAX_SHIPMENT_KILOGRAMS = 100_000.0;
    /** Canonical masses have this many decimal places (0.001 kg). */
    public static final int SCALE = 3;

    private Masses() {
    }

    /**
     * Returns {@code kg} when it is finite and within [0, {@value #MAX_SHIPMENT_KILOGRAMS}] kg, both bounds included.
     *
     * @throws RejectedRecordException {@link RejectionReason#IMPOSSIBLE_VALUE} otherwise
     */
    public static double requirePlausibleKilograms(double kg, String field) {
        if (Double.isNaN(kg) || Double.isInfinite(kg)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    field + " " + Detail.number(kg) + " kg: is not a finite mass");
        }
        if (kg < 0) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    field + " " + Detail.number(kg) + " kg: a mass cannot be negative");
        }
        if (kg > MAX_SHIPMENT_KILOGRAMS) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE,
                    field + " " + Detail.number(kg) + " kg: is more than the plausible maximum of "
                            + Detail.number(MAX_SHIPMENT_KILOGRAMS) + " kg for one shipment (check the unit)");
        }
        return kg;
    }

    /**
     * {@code kg} rounded to 0.001 kg, half to even, on its shortest decimal representation. Negative zero becomes
     * zero; NaN and infinities pass through unchanged.
     */
    public static double round(double kg) {
        if (Double.isNaN(kg) || Double.isInfinite(kg)) {
            return kg;
        }
        return round(BigDecimal.valueOf(kg));
    }

    static double round(BigDecimal kg) {
        return kg.setScale(SCALE, RoundingMode.HALF_EVEN).doubleValue() + 0.0;
    }
}
