package io.waybill.domain.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Instants as fixed-width UTC text, {@code 2026-12-02T10:00:00.380000000Z}, for every key and index attribute that a
 * store sorts by. {@link Instant#toString()} drops a zero fraction and writes only as many fraction digits as it
 * needs, so {@code 10:00:00.380Z} sorts before {@code 10:00:00Z} as text (the dot is below the Z) although it is
 * later; with nine fraction digits always written, text order is time order for the years 0000-9999. Nine digits,
 * not three, so that a stored time parses back to the same instant. {@link Instant#parse} reads both forms, so
 * items written before this format still read.
 */
public final class SortableTime {
    private static final DateTimeFormatter FIXED = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private SortableTime() {
    }

    /** @return {@code t} as {@code uuuu-MM-ddTHH:mm:ss.nnnnnnnnnZ}; null for null */
    public static String format(Instant t) {
        return t == null ? null : FIXED.format(t);
    }
}
