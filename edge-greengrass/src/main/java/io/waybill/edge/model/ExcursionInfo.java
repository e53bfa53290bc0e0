package io.waybill.edge.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What an alert's {@code TemperatureBreached} payload cannot say: which excursion it is about, in which phase, and
 * its thermal exposure.
 *
 * @param number        the excursion's number on this probe (correlates started, ongoing and ended alerts)
 * @param phase         where the excursion is in its life
 * @param start         the first reading outside the band by more than the enter margin
 * @param end           the first reading back inside (only when {@link Phase#ENDED})
 * @param degreeMinutes area beyond the limit so far, °C x min, rounded to 0.1
 */
public record ExcursionInfo(int number, Phase phase, Instant start, Instant end, double degreeMinutes) {
    public enum Phase { STARTED, ONGOING, ENDED }

    public ExcursionInfo {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(start, "start");
        if ((phase == Phase.ENDED) != (end != null)) {
            throw new IllegalArgumentException("an end is given exactly when the phase is ENDED");
        }
    }

    /** The info of a detector event. */
    public static ExcursionInfo of(ExcursionEvent e) {
        Phase phase;
        if (e instanceof ExcursionStarted) {
            phase = Phase.STARTED;
        } else if (e instanceof ExcursionUpdate) {
            phase = Phase.ONGOING;
        } else {
            phase = Phase.ENDED;
        }
        Excursion x = e.excursion();
        return new ExcursionInfo(x.number(), phase, x.start(), x.end(), Math.round(x.degreeMinutes() * 10) / 10.0);
    }
}
