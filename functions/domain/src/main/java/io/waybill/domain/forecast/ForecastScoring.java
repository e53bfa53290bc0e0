package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Scores stored forecasts once their horizon has passed: MASE (mean absolute error of the mean forecast over the
 * forecast's MASE scale) and bias (mean of forecast minus actual, units per day), per series, then per facility (GLN)
 * the mean of both over the forecasts scored in the run. Each forecast is scored once ({@link ForecastStore#recordAccuracy}).
 */
public final class ForecastScoring {
    /** The season of daily demand: a week. */
    public static final int SEASON_DAYS = 7;

    private final DemandLedger ledger;
    private final ForecastStore store;
    private final ForecastJournal journal;
    private final DemandHistoryBuilder histories;

    public ForecastScoring(DemandLedger ledger, ForecastStore store, ForecastJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.store = Objects.requireNonNull(store, "store");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.histories = new DemandHistoryBuilder(ledger);
    }

    /**
     * The MASE denominator of a history: the mean absolute seasonal difference (lag {@value #SEASON_DAYS}) when the
     * history has at least two seasons, else the mean absolute first difference; when that is zero (a constant
     * history) the other one is tried; 0 when both are zero or the history is too short (MASE is then undefined).
     */
    public static double maseScale(double[] y) {
        int lag = y.length >= 2 * SEASON_DAYS ? SEASON_DAYS : 1;
        double scale = meanAbsDifference(y, lag);
        if (!(scale > 0) && lag == SEASON_DAYS) {
            scale = meanAbsDifference(y, 1);
        }
        return scale > 0 ? scale : 0;
    }

    private static double meanAbsDifference(double[] y, int lag) {
        if (y.length <= lag) {
            return 0;
        }
        double s = 0;
        for (int t = lag; t < y.length; t++) {
            s += Math.abs(y[t] - y[t - lag]);
        }
        return s / (y.length - lag);
    }

    /** The accuracy of {@code forecast} against {@code actual} (one value per day of its horizon). */
    public static ForecastAccuracy accuracy(StoredForecast forecast, double[] actual) {
        double[] mean = forecast.mean();
        int n = Math.min(mean.length, actual.length);
        double abs = 0;
        double signed = 0;
        for (int i = 0; i < n; i++) {
            abs += Math.abs(mean[i] - actual[i]);
            signed += mean[i] - actual[i];
        }
        double mase = forecast.maseScale() > 0 && n > 0 ? abs / n / forecast.maseScale() : Double.NaN;
        return new ForecastAccuracy(forecast.key(), forecast.firstDay(), n, mase, n > 0 ? signed / n : Double.NaN);
    }

    /** Scores every forecast due by {@code asOf} (exclusive: the actuals of asOf itself are not complete). */
    public List<ForecastAccuracy> scoreDue(LocalDate asOf) {
        List<ForecastAccuracy> scored = new ArrayList<>();
        Map<String, double[]> perFacility = new TreeMap<>(); // gln -> {sum mase, n mase, sum bias, n}
        for (String gln : ledger.locations()) {
            for (SeriesKey key : ledger.series(gln)) {
                for (StoredForecast f : store.dueForScoring(key, asOf)) {
                    DemandHistory actual = histories.build(key, f.firstDay(), f.firstDay().plusDays(f.horizonDays()));
                    ForecastAccuracy a = accuracy(f, actual.unitsPerDay());
                    if (!store.recordAccuracy(a)) {
                        continue;
                    }
                    scored.add(a);
                    journal.scored(a);
                    double[] agg = perFacility.computeIfAbsent(gln, g -> new double[4]);
                    if (!Double.isNaN(a.mase())) {
                        agg[0] += a.mase();
                        agg[1]++;
                    }
                    agg[2] += a.bias();
                    agg[3]++;
                }
            }
        }
        perFacility.forEach((gln, agg) -> journal.facilityAccuracy(gln, agg[1] > 0 ? agg[0] / agg[1] : Double.NaN,
                agg[2] / agg[3], (int) agg[3]));
        return scored;
    }
}
