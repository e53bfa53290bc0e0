package io.waybill.edge.model;

import java.util.Objects;

/**
 * An edge severity score, 0 (harmless) to 100 (worst), and its level.
 */
public record Severity(int score, SeverityLevel level) {
    /** The severity of something that is not an excursion (a summary). */
    public static final Severity NONE = new Severity(0, SeverityLevel.INFO);

    public Severity {
        Objects.requireNonNull(level, "level");
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("score must be 0..100, was " + score);
        }
    }
}
