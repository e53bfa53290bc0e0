package io.waybill.domain.coldchain;

import java.util.Objects;

/**
 * One reason a policy found a breach.
 *
 * @param code     the stable code
 * @param severity how bad this reason alone is
 * @param text     for people, e.g. {@code "reading of 26.0 °C is above the hard high limit of 25.0 °C"}
 */
public record BreachReason(BreachCode code, BreachSeverity severity, String text) {
    public BreachReason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(text, "text");
        if (severity == BreachSeverity.NONE) {
            throw new IllegalArgumentException("a breach reason cannot have severity NONE");
        }
    }
}
