package io.waybill.modelserver.deepar;

import java.util.Arrays;

/**
 * Missing values ({@code "NaN"} in a DeepAR target) before fitting: leading missing values are dropped (the series
 * starts at its first observation), interior gaps are filled by linear interpolation between the neighbouring
 * observations, trailing missing values repeat the last observation (so the forecast still starts after the last
 * period of the target). A target without any observation is a bad request.
 */
public final class MissingValues {
    private MissingValues() {
    }

    public static double[] fill(double[] target) {
        int first = 0;
        while (first < target.length && Double.isNaN(target[first])) {
            first++;
        }
        if (first == target.length) {
            throw new BadRequest("target has no observations (every value is \"NaN\")");
        }
        double[] y = Arrays.copyOfRange(target, first, target.length);
        int previous = 0;
        for (int t = 1; t < y.length; t++) {
            if (Double.isNaN(y[t])) {
                continue;
            }
            if (t - previous > 1) {
                for (int k = previous + 1; k < t; k++) {
                    y[k] = y[previous] + (y[t] - y[previous]) * (k - previous) / (t - previous);
                }
            }
            previous = t;
        }
        for (int k = previous + 1; k < y.length; k++) {
            y[k] = y[previous];
        }
        return y;
    }
}
