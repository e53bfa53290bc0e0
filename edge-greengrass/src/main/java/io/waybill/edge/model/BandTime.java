package io.waybill.edge.model;

/**
 * Time a summary's readings spent outside the product band, whole seconds (each reading holds until the next one,
 * at most the configured max sample gap).
 */
public record BandTime(long secondsAboveBand, long secondsBelowBand) {
    public static final BandTime NONE = new BandTime(0, 0);

    public BandTime {
        if (secondsAboveBand < 0 || secondsBelowBand < 0) {
            throw new IllegalArgumentException("band time must not be negative");
        }
    }
}
