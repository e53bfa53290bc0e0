package io.waybill.edge.model;

/**
 * Time a summary's readings spent outside the product band, whole seconds rounded down: the envelope's legacy
 * {@code bandTime}, derived from the payload's exposure statistics ({@code aboveMillis / 1000},
 * {@code belowMillis / 1000}; each reading holds until the next one, at most the configured max sample gap, and its
 * hold counts in the summary that contains the reading).
 */
public record BandTime(long secondsAboveBand, long secondsBelowBand) {
    public static final BandTime NONE = new BandTime(0, 0);

    public BandTime {
        if (secondsAboveBand < 0 || secondsBelowBand < 0) {
            throw new IllegalArgumentException("band time must not be negative");
        }
    }
}
