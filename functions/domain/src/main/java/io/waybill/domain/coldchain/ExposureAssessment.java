package io.waybill.domain.coldchain;

import java.util.Collection;
import java.util.Objects;

/**
 * Exposure figures and the policy's verdict on them: what a cloud function needs to emit a temperature breach.
 *
 * @param figures the figures measured against the product's band
 * @param verdict the product's policy's verdict on them
 */
public record ExposureAssessment(ExposureFigures figures, BreachVerdict verdict) {
    public ExposureAssessment {
        Objects.requireNonNull(figures, "figures");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** Measures {@code readings} against {@code band} and judges the figures with {@code policy}. */
    public static ExposureAssessment of(TemperatureBand band, BreachPolicy policy,
                                        Collection<ExposureReading> readings) {
        ExposureFigures figures = ExposureCalculator.forBand(band).measure(readings);
        return new ExposureAssessment(figures, policy.judge(figures));
    }
}
