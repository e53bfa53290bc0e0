package io.waybill.local.demo;

import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.Excursion;
import io.waybill.edge.model.ExcursionInfo;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.edge.trace.ExpectedExcursion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's edge check: the excursions the edge reported (its ALERT messages) against a trace's ground truth, and
 * the breach events the store holds for them.
 */
public final class ExcursionComparison {
    /** How far a stored breach event's device time may lie outside an expected excursion (plus its tolerance). */
    public static final Duration STORED_MARGIN = Duration.ofMinutes(5);

    /** One expected excursion, the edge's ended excursion that matches it (if any) and the breach events stored in it. */
    public record Row(ExpectedExcursion expected, Optional<Excursion> detected, int storedBreaches) {
        public boolean ok() {
            return detected.isPresent() && storedBreaches > 0;
        }
    }

    private final List<Row> rows;
    private final List<Excursion> detected;
    private final List<EdgeMessage> unexpectedAlerts;
    private final List<Instant> unexpectedStoredBreaches;

    private ExcursionComparison(List<Row> rows, List<Excursion> detected, List<EdgeMessage> unexpectedAlerts,
                                List<Instant> unexpectedStoredBreaches) {
        this.rows = List.copyOf(rows);
        this.detected = List.copyOf(detected);
        this.unexpectedAlerts = List.copyOf(unexpectedAlerts);
        this.unexpectedStoredBreaches = List.copyOf(unexpectedStoredBreaches);
    }

    /**
     * @param expected            ground truth
     * @param edgeMessages        what the edge sent (summaries are ignored)
     * @param storedBreachTimes   device times of the breach events stored from the edge
     */
    public static ExcursionComparison of(List<ExpectedExcursion> expected, List<EdgeMessage> edgeMessages,
                                         List<Instant> storedBreachTimes) {
        List<EdgeMessage> alerts = edgeMessages.stream().filter(m -> m.kind() == EdgeMessage.Kind.ALERT).toList();
        List<Excursion> ended = new ArrayList<>();
        for (EdgeMessage m : alerts) {
            ExcursionInfo info = m.excursion();
            if (info != null && info.phase() == ExcursionInfo.Phase.ENDED
                    && m.payload() instanceof TemperatureBreached b) {
                ended.add(new Excursion(b.deviceId() == null ? "" : b.deviceId(), info.number(), b.limit(),
                        b.limitCelsius(), info.start(), info.end(), Duration.between(info.start(), info.end()),
                        b.observedCelsius(), info.degreeMinutes()));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (ExpectedExcursion e : expected) {
            Optional<Excursion> match = ended.stream().filter(x -> matches(e, x)).findFirst();
            int stored = (int) storedBreachTimes.stream().filter(t -> inside(e, t)).count();
            rows.add(new Row(e, match, stored));
        }
        List<EdgeMessage> unexpected = alerts.stream()
                .filter(m -> expected.stream().noneMatch(e -> inside(e, alertTime(m)))).toList();
        List<Instant> strayStored = storedBreachTimes.stream()
                .filter(t -> expected.stream().noneMatch(e -> inside(e, t))).toList();
        return new ExcursionComparison(rows, ended, unexpected, strayStored);
    }

    /** Like {@link ExpectedExcursion#matches} but ignoring the sensor id (the edge's breach names its device). */
    private static boolean matches(ExpectedExcursion e, Excursion x) {
        return e.matches(new Excursion(e.sensorId(), x.number(), x.limit(), x.limitCelsius(), x.start(), x.end(),
                x.duration(), x.peakCelsius(), x.degreeMinutes()));
    }

    /** Where an alert lies in time: its excursion's start (else the device time of the reading that raised it). */
    private static Instant alertTime(EdgeMessage m) {
        return m.excursion() != null ? m.excursion().start() : m.deviceTime();
    }

    private static boolean inside(ExpectedExcursion e, Instant t) {
        Duration margin = e.tolerance().plus(STORED_MARGIN);
        return !t.isBefore(e.start().minus(margin)) && !t.isAfter(e.end().plus(margin));
    }

    public List<Row> rows() {
        return rows;
    }

    /** Every excursion the edge reported as ended. */
    public List<Excursion> detected() {
        return detected;
    }

    /** Edge alerts that lie in no expected excursion (false alarms). */
    public List<EdgeMessage> unexpectedAlerts() {
        return unexpectedAlerts;
    }

    /** Stored breach events (device times) that lie in no expected excursion. */
    public List<Instant> unexpectedStoredBreaches() {
        return unexpectedStoredBreaches;
    }

    /** Every expected excursion detected and stored as breach event(s). */
    public boolean allDetectedAndStored() {
        return rows.stream().allMatch(Row::ok);
    }

    /** No edge alert and no stored breach outside an expected excursion. */
    public boolean noFalseAlarms() {
        return unexpectedAlerts.isEmpty() && unexpectedStoredBreaches.isEmpty();
    }
}
