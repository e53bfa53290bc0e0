package io.waybill.domain.coldchain;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link BreachPolicy} concluded from {@link ExposureFigures}.
 *
 * @param breached true when there is at least one reason
 * @param severity the worst reason's severity; {@link BreachSeverity#NONE} without reasons
 * @param reasons  the reasons, in {@link BreachCode} declaration order, at most one per code
 */
public record BreachVerdict(boolean breached, BreachSeverity severity, List<BreachReason> reasons) {
    private static final BreachVerdict CLEAR = new BreachVerdict(false, BreachSeverity.NONE, List.of());

    /**
     * @throws IllegalArgumentException when {@code breached} or {@code severity} disagree with the reasons
     */
    public BreachVerdict {
        Objects.requireNonNull(severity, "severity");
        reasons = List.copyOf(reasons);
        if (breached == reasons.isEmpty()) {
            throw new IllegalArgumentException("breached must be true exactly when there are reasons");
        }
        if (severity != worst(reasons)) {
            throw new IllegalArgumentException("severity " + severity + " is not the worst reason's " + worst(reasons));
        }
    }

    /** No breach. */
    public static BreachVerdict clear() {
        return CLEAR;
    }

    /** The verdict for these reasons: breached when there is any, with the worst one's severity. */
    public static BreachVerdict of(List<BreachReason> reasons) {
        return reasons.isEmpty() ? CLEAR : new BreachVerdict(true, worst(reasons), reasons);
    }

    /** The reasons' codes, in order. */
    public List<BreachCode> codes() {
        return reasons.stream().map(BreachReason::code).toList();
    }

    /** True when one of the reasons has this code. */
    public boolean has(BreachCode code) {
        return reasons.stream().anyMatch(r -> r.code() == code);
    }

    private static BreachSeverity worst(List<BreachReason> reasons) {
        BreachSeverity worst = BreachSeverity.NONE;
        for (BreachReason r : reasons) {
            worst = worst.atLeast(r.severity());
        }
        return worst;
    }
}
