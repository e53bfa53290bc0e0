package io.waybill.domain.forecast;

import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The forecast run, scheduled (every series, {@link #run}) and on demand (one series, {@link #forecastNow}): history
 * up to {@code asOf} (exclusive) over at most {@link ForecastSettings#historyDays()} days from the series' first
 * demand; series whose first demand is fewer than {@link ForecastSettings#minHistoryDays()} days old are skipped; the
 * endpoint is called {@link ForecastSettings#batchSize()} series at a time; each forecast is stored under (series,
 * first day) with its reorder recommendation ({@link ReorderPoint}) and MASE scale ({@link ForecastScoring#maseScale}).
 *
 * <p>Failures: an unavailable endpoint stops the run with nothing stored for the batch in flight (the next run
 * forecasts again); a rejected batch is retried series by series, so one bad series is reported and skipped while the
 * others go on. The scheduled run first scores the forecasts whose horizon has passed.
 */
public final class ForecastRun implements OnDemandForecast {
    private final DemandLedger ledger;
    private final ForecastStore store;
    private final DemandForecaster forecaster;
    private final ForecastSettings settings;
    private final Clock clock;
    private final ForecastJournal journal;
    private final DemandHistoryBuilder histories;
    private final ForecastScoring scoring;

    public ForecastRun(DemandLedger ledger, ForecastStore store, DemandForecaster forecaster, ForecastSettings settings,
                       Clock clock, ForecastJournal journal) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.store = Objects.requireNonNull(store, "store");
        this.forecaster = Objects.requireNonNull(forecaster, "forecaster");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.histories = new DemandHistoryBuilder(ledger);
        this.scoring = new ForecastScoring(ledger, store, journal);
    }

    /**
     * What one run did.
     *
     * @param endpointUnavailable true when the endpoint could not be reached: series not yet forecast wait for the
     *                            next run
     */
    public record Report(LocalDate asOf, int series, int stored, int skipped, int rejected,
                         boolean endpointUnavailable, List<ForecastAccuracy> scored) {
    }

    /** Scores what is due, then forecasts every series from {@code asOf}. */
    public Report run(LocalDate asOf) {
        List<ForecastAccuracy> scored = scoring.scoreDue(asOf);
        List<DemandHistory> ready = new ArrayList<>();
        int series = 0;
        int skipped = 0;
        for (String gln : ledger.locations()) {
            for (SeriesKey key : ledger.series(gln)) {
                series++;
                Optional<DemandHistory> h = history(key, asOf);
                if (h.isPresent()) {
                    ready.add(h.get());
                } else {
                    skipped++;
                }
            }
        }
        Counts counts = new Counts();
        try {
            for (int from = 0; from < ready.size(); from += settings.batchSize()) {
                forecastAndStore(ready.subList(from, Math.min(ready.size(), from + settings.batchSize())), counts);
            }
        } catch (DemandForecaster.ForecasterUnavailable unavailable) {
            journal.endpointUnavailable(unavailable);
            return new Report(asOf, series, counts.stored, skipped, counts.rejected, true, scored);
        }
        return new Report(asOf, series, counts.stored, skipped, counts.rejected, false, scored);
    }

    /**
     * {@inheritDoc}
     *
     * @throws DemandForecaster.ForecasterUnavailable when the endpoint cannot be reached
     * @throws DemandForecaster.ForecastRejected      when the endpoint refuses the series
     */
    @Override
    public Optional<StoredForecast> forecastNow(SeriesKey key, LocalDate asOf) {
        Optional<DemandHistory> h = history(key, asOf);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        List<DemandForecast> out = forecaster.forecast(List.of(h.get()), request());
        return Optional.of(store(h.get(), single(out)));
    }

    private Optional<DemandHistory> history(SeriesKey key, LocalDate asOf) {
        Optional<LocalDate> first = ledger.firstDemand(key);
        if (first.isEmpty() || ChronoUnit.DAYS.between(first.get(), asOf) < settings.minHistoryDays()) {
            journal.skipped(key, first.isEmpty() ? "no demand" : "first demand " + first.get() + " is fewer than "
                    + settings.minHistoryDays() + " days before " + asOf);
            return Optional.empty();
        }
        LocalDate window = asOf.minusDays(settings.historyDays());
        LocalDate from = first.get().isAfter(window) ? first.get() : window;
        return Optional.of(histories.build(key, from, asOf));
    }

    private DemandForecaster.ForecastRequest request() {
        return new DemandForecaster.ForecastRequest(settings.horizonDays(), settings.requestedQuantiles(),
                settings.samples());
    }

    private static final class Counts {
        int stored;
        int rejected;
    }

    private void forecastAndStore(List<DemandHistory> batch, Counts counts) {
        List<DemandForecast> out;
        try {
            out = forecaster.forecast(batch, request());
        } catch (DemandForecaster.ForecastRejected rejected) {
            if (batch.size() == 1) {
                journal.rejected(batch.get(0).key(), rejected.getMessage());
                counts.rejected++;
                return;
            }
            for (DemandHistory one : batch) { // find the series the endpoint refuses; the others go on
                forecastAndStore(List.of(one), counts);
            }
            return;
        }
        if (out.size() != batch.size()) {
            for (DemandHistory h : batch) {
                journal.rejected(h.key(), "the endpoint returned " + out.size() + " forecasts for " + batch.size());
            }
            counts.rejected += batch.size();
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                store(batch.get(i), out.get(i));
                counts.stored++;
            } catch (IllegalArgumentException malformed) {
                journal.rejected(batch.get(i).key(), malformed.getMessage());
                counts.rejected++;
            }
        }
    }

    private static DemandForecast single(List<DemandForecast> out) {
        if (out.size() != 1) {
            throw new DemandForecaster.ForecastRejected("the endpoint returned " + out.size() + " forecasts for 1");
        }
        return out.get(0);
    }

    private StoredForecast store(DemandHistory history, DemandForecast f) {
        if (f.mean().length != settings.horizonDays()) {
            throw new IllegalArgumentException("forecast of " + history.key().id() + " has " + f.mean().length
                    + " days, not " + settings.horizonDays());
        }
        for (double v : f.mean()) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("forecast of " + history.key().id() + " has a non-finite mean");
            }
        }
        Map<String, double[]> quantiles = new TreeMap<>();
        f.quantiles().forEach((level, values) -> quantiles.put(ForecastSettings.levelKey(level), values.clone()));
        ReorderRecommendation reorder = ReorderPoint.recommend(f.mean(), f.quantiles(), f.samples(),
                settings.serviceLevel(), settings.leadTimeDays());
        StoredForecast stored = new StoredForecast(history.key(), history.nextDay(), clock.instant(),
                forecaster.model().name(), forecaster.model().version(), f.method(), f.mean().clone(),
                new TreeMap<>(quantiles), reorder, ForecastScoring.maseScale(history.unitsPerDay()), history.days());
        store.put(stored);
        journal.stored(stored);
        return stored;
    }
}
