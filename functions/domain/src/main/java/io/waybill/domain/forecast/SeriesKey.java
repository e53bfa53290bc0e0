package io.waybill.domain.forecast;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One demand series: a SKU (its GTIN-14) at one location (the GLN of the place its units leave from).
 *
 * @param gtin        GTIN-14 of the trade item (from the SGTIN EPCs read on departing shipments)
 * @param locationGln GLN (13 digits) of the location the units left
 */
public record SeriesKey(String gtin, String locationGln) {
    private static final Pattern GTIN = Pattern.compile("\\d{14}");
    private static final Pattern GLN = Pattern.compile("\\d{13}");

    public SeriesKey {
        Objects.requireNonNull(gtin, "gtin");
        Objects.requireNonNull(locationGln, "locationGln");
        if (!GTIN.matcher(gtin).matches()) {
            throw new IllegalArgumentException("gtin must be 14 digits: " + gtin);
        }
        if (!GLN.matcher(locationGln).matches()) {
            throw new IllegalArgumentException("locationGln must be 13 digits: " + locationGln);
        }
    }

    /** {@code gtin@gln}: the series id used in stores, metrics and the ops API. */
    public String id() {
        return gtin + "@" + locationGln;
    }

    /** The inverse of {@link #id()}. */
    public static SeriesKey parse(String id) {
        int at = id.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("series id must be gtin@gln: " + id);
        }
        return new SeriesKey(id.substring(0, at), id.substring(at + 1));
    }
}
