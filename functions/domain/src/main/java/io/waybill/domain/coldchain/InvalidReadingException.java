package io.waybill.domain.coldchain;

import java.time.Instant;

/**
 * A temperature reading that cannot be used for exposure figures: its temperature is NaN, infinite, or at or
 * below absolute zero. The message
 * names the reading, e.g. {@code "reading at 2026-03-01T09:00:00Z: celsius is NaN, expected a finite number"}.
 */
public class InvalidReadingException extends IllegalArgumentException {
    private final transient Instant time;
    private final double celsius;

    /**
     * @param time    the reading's time
     * @param celsius the rejected temperature
     * @param problem what is wrong, e.g. {@code "expected a finite number"}
     */
    public InvalidReadingException(Instant time, double celsius, String problem) {
        super("reading at " + time + ": celsius is " + celsius + ", " + problem);
        this.time = time;
        this.celsius = celsius;
    }

    /** The time of the rejected reading. */
    public Instant time() {
        return time;
    }

    /** The rejected temperature. */
    public double celsius() {
        return celsius;
    }
}
