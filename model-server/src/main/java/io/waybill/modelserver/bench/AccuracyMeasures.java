package io.waybill.modelserver.bench;

/**
 * Forecast accuracy measures as the M4 competition defines them (Makridakis, Spiliotis and Assimakopoulos, 2020).
 */
public final class AccuracyMeasures {
    private AccuracyMeasures() {
    }

    /**
     * Mean absolute scaled error: the forecast's mean absolute error over the held-out points divided by the in-sample
     * mean absolute error of the seasonal naive method (lag {@code period}; lag 1 when {@code period} is 1). NaN when
     * that scale is 0 (a series that repeats itself exactly) or the fitting part is shorter than one period + 1.
     */
    public static double mase(double[] fitted, double[] actual, double[] forecast, int period) {
        int lag = Math.max(1, period);
        if (fitted.length <= lag) {
            return Double.NaN;
        }
        double scale = 0;
        for (int t = lag; t < fitted.length; t++) {
            scale += Math.abs(fitted[t] - fitted[t - lag]);
        }
        scale /= fitted.length - lag;
        return scale == 0 ? Double.NaN : meanAbsoluteError(actual, forecast) / scale;
    }

    /**
     * Symmetric mean absolute percentage error in %: the mean of {@code 200 |y - f| / (|y| + |f|)}; a point where
     * both are 0 counts 0 (M4 leaves it undefined; zeros are real demand here).
     */
    public static double smape(double[] actual, double[] forecast) {
        check(actual, forecast);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i]) + Math.abs(forecast[i]);
            sum += d == 0 ? 0 : 200 * Math.abs(actual[i] - forecast[i]) / d;
        }
        return sum / actual.length;
    }

    /** The share of held-out points inside [lower, upper] (bounds included), e.g. the 10% and 90% quantiles. */
    public static double coverage(double[] actual, double[] lower, double[] upper) {
        check(actual, lower);
        check(actual, upper);
        int inside = 0;
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] >= lower[i] && actual[i] <= upper[i]) {
                inside++;
            }
        }
        return (double) inside / actual.length;
    }

    static double meanAbsoluteError(double[] actual, double[] forecast) {
        check(actual, forecast);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - forecast[i]);
        }
        return sum / actual.length;
    }

    private static void check(double[] a, double[] b) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need two non-empty arrays of one length, got " + a.length + " and " + b.length);
        }
    }
}
