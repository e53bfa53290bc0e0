package io.waybill.domain.coldchain;

/** How bad a cold-chain breach is, least to most severe; a {@link BreachVerdict} takes its worst reason's. */
public enum BreachSeverity {
    /** No breach. */
    NONE,
    /** Out of band beyond the time budget, but by few degree-minutes. */
    MINOR,
    /** Out of band beyond the time budget by many degree-minutes, or the mean kinetic temperature above the label. */
    MAJOR,
    /** A hard limit crossed: the product is presumed damaged (e.g. a vaccine frozen or heated past 25 °C). */
    CRITICAL;

    /** The more severe of this and {@code other}. */
    public BreachSeverity atLeast(BreachSeverity other) {
        return other.compareTo(this) > 0 ? other : this;
    }
}
