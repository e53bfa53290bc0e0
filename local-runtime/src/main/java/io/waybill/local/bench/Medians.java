package io.waybill.local.bench;

import java.util.Arrays;

/** The median of a few repeated measurements: the middle value, or the mean of the two middle ones for an even count. */
final class Medians {
    private Medians() {
    }

    /** @throws IllegalArgumentException for no values */
    static double of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }
}
