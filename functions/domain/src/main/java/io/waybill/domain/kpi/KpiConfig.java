package io.waybill.domain.kpi;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Knobs of {@link KpiCalculator}. Build with {@link #builder()}; {@link #defaults()} uses every {@code DEFAULT_*}.
 *
 * @param onTimeTolerance    how late a departure or arrival may be and still count as on time (inclusive)
 * @param spoilageKind       the incident kind that can be a spoilage incident
 * @param spoilageSeverities the severities (upper case) that make an incident of {@link #spoilageKind} a spoilage
 *                           incident
 */
public record KpiConfig(Duration onTimeTolerance, String spoilageKind, Set<String> spoilageSeverities) {
    /** Default on-time tolerance: 15 minutes after the planned time (or after the allowed transit) is still on time. */
    public static final Duration DEFAULT_ON_TIME_TOLERANCE = Duration.ofMinutes(15);
    /**
     * Spoilage rule, part 1: only incidents of this kind can be spoilage incidents (the cold-chain decision opens
     * them, see {@link io.waybill.domain.incident.ShipmentIncident}).
     */
    public static final String DEFAULT_SPOILAGE_KIND = "COLD_CHAIN_BREACH";
    /**
     * Spoilage rule, part 2: of those, the ones whose severity is MAJOR or CRITICAL (a MINOR breach is an exception
     * but not spoilage). Compared case-insensitively.
     */
    public static final Set<String> DEFAULT_SPOILAGE_SEVERITIES = Set.of("MAJOR", "CRITICAL");

    public KpiConfig {
        Objects.requireNonNull(onTimeTolerance, "onTimeTolerance");
        Objects.requireNonNull(spoilageKind, "spoilageKind");
        if (onTimeTolerance.isNegative()) {
            throw new IllegalArgumentException("onTimeTolerance must not be negative: " + onTimeTolerance);
        }
        TreeSet<String> upper = new TreeSet<>();
        spoilageSeverities.forEach(s -> upper.add(s.toUpperCase(Locale.ROOT)));
        spoilageSeverities = Set.copyOf(upper);
    }

    public static KpiConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether an incident of this kind and severity counts as a spoilage incident under this config. */
    public boolean isSpoilage(String kind, String severity) {
        return spoilageKind.equals(kind) && severity != null
                && spoilageSeverities.contains(severity.toUpperCase(Locale.ROOT));
    }

    public static final class Builder {
        private Duration onTimeTolerance = DEFAULT_ON_TIME_TOLERANCE;
        private String spoilageKind = DEFAULT_SPOILAGE_KIND;
        private Set<String> spoilageSeverities = DEFAULT_SPOILAGE_SEVERITIES;

        private Builder() {
        }

        public Builder onTimeTolerance(Duration tolerance) {
            this.onTimeTolerance = tolerance;
            return this;
        }

        public Builder spoilageKind(String kind) {
            this.spoilageKind = kind;
            return this;
        }

        public Builder spoilageSeverities(Set<String> severities) {
            this.spoilageSeverities = severities;
            return this;
        }

        public KpiConfig build() {
            return new KpiConfig(onTimeTolerance, spoilageKind, spoilageSeverities);
        }
    }
}
