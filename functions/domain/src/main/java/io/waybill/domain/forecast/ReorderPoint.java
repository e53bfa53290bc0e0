package io.waybill.domain.forecast;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;

/**
 * The reorder recommendation from a forecast's distribution of lead-time demand (the first {@code leadTimeDays} of the
 * horizon).
 *
 * <ul>
 *   <li>With sample paths: the reorder point is the service-level quantile of the paths' lead-time sums, the empirical
 *       quantile by the inverse of the empirical distribution function (the smallest sum s with at least
 *       {@code serviceLevel} of the sums at or below s; R's {@code quantile(type = 1)}). Basis {@code samples}.</li>
 *   <li>Without: the sum over the lead time of the daily quantile at the nearest level at or above the service level
 *       (an upper bound of the lead-time quantile, exact only if days were perfectly correlated). Basis
 *       {@code quantiles}.</li>
 * </ul>
 * Mean lead-time demand is the sum of the daily means; safety stock is reorder point minus that mean, never negative.
 */
public final class ReorderPoint {
    private ReorderPoint() {
    }

    public static ReorderRecommendation recommend(double[] mean, SortedMap<Double, double[]> quantiles,
                                                  double[][] samples, double serviceLevel, int leadTimeDays) {
        if (leadTimeDays < 1 || leadTimeDays > mean.length) {
            throw new IllegalArgumentException("lead time " + leadTimeDays + " outside the horizon " + mean.length);
        }
        double meanDemand = sum(mean, leadTimeDays);
        double point;
        String basis;
        if (samples != null && samples.length > 0) {
            double[] sums = new double[samples.length];
            for (int j = 0; j < samples.length; j++) {
                if (samples[j].length < leadTimeDays) {
                    throw new IllegalArgumentException("sample path " + j + " shorter than the lead time");
                }
                sums[j] = sum(samples[j], leadTimeDays);
            }
            Arrays.sort(sums);
            int k = (int) Math.ceil(serviceLevel * sums.length - 1e-9) - 1;
            point = sums[Math.max(0, Math.min(sums.length - 1, k))];
            basis = "samples";
        } else {
            Map.Entry<Double, double[]> level = null;
            for (Map.Entry<Double, double[]> q : quantiles.entrySet()) {
                if (q.getKey() >= serviceLevel - 1e-12) {
                    level = q;
                    break;
                }
            }
            if (level == null) {
                throw new IllegalArgumentException("no samples and no quantile at or above the service level "
                        + serviceLevel + " (levels " + quantiles.keySet() + ")");
            }
            point = sum(level.getValue(), leadTimeDays);
            basis = "quantiles";
        }
        return new ReorderRecommendation(serviceLevel, leadTimeDays, meanDemand, point,
                Math.max(0, point - meanDemand), basis);
    }

    private static double sum(double[] values, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += values[i];
        }
        return s;
    }
}
