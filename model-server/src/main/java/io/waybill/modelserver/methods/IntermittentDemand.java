package io.waybill.modelserver.methods;

/**
 * Decides whether a series is intermittent demand and which Croston variant suits it.
 *
 * <p>Rule (Syntetos, Boylan and Croston 2005): the average demand interval ADI = n / (number of non-zero periods);
 * a series is intermittent when every value is non-negative, at least {@link #MIN_LENGTH} periods are observed,
 * and ADI >= {@link #ADI_CUTOFF} (1.32). A series of zeros only is intermittent too (its forecast is zero).
 * Intermittent series get SBA, unless the trailing run of zero periods is longer than {@link #OBSOLESCENCE_FACTOR}
 * times the ADI, i.e. longer than any typical gap: demand may have stopped, and TSB (whose demand probability decays
 * in every zero period) is chosen. The CV² of sizes in the SBC scheme separates lumpy from intermittent; both get
 * the same estimator here, so it is not computed.
 */
public final class IntermittentDemand {

    /** Syntetos-Boylan cut-off on the average demand interval. */
    public static final double ADI_CUTOFF = 1.32;
    /** A trailing run of zeros longer than this many average intervals suggests obsolescence. */
    public static final double OBSOLESCENCE_FACTOR = 2.0;
    /** Shorter series are not classified as intermittent (too little evidence). */
    public static final int MIN_LENGTH = 4;

    private IntermittentDemand() {
    }

    /** The classification of one series. */
    public enum Kind { SMOOTH, INTERMITTENT, OBSOLESCENT }

    public static double averageDemandInterval(double[] y) {
        long demands = java.util.Arrays.stream(y).filter(v -> v > 0).count();
        return demands == 0 ? Double.POSITIVE_INFINITY : (double) y.length / demands;
    }

    public static int trailingZeros(double[] y) {
        int run = 0;
        for (int t = y.length - 1; t >= 0 && y[t] == 0; t--) {
            run++;
        }
        return run;
    }

    public static Kind classify(double[] y) {
        if (y.length < MIN_LENGTH) {
            return Kind.SMOOTH;
        }
        for (double v : y) {
            if (v < 0) {
                return Kind.SMOOTH;
            }
        }
        double adi = averageDemandInterval(y);
        if (adi < ADI_CUTOFF) {
            return Kind.SMOOTH;
        }
        if (Double.isInfinite(adi) || trailingZeros(y) > OBSOLESCENCE_FACTOR * adi) {
            return Kind.OBSOLESCENT;
        }
        return Kind.INTERMITTENT;
    }
}
