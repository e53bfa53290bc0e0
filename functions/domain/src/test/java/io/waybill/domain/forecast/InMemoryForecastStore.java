package io.waybill.domain.forecast;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A {@link ForecastStore} in maps, for domain tests. */
public final class InMemoryForecastStore implements ForecastStore {
    public final Map<String, StoredForecast> forecasts = new TreeMap<>();
    public final Map<String, ForecastAccuracy> accuracy = new TreeMap<>();
    private final Set<String> scored = new HashSet<>();

    private static String id(SeriesKey key, LocalDate firstDay) {
        return key.id() + "|" + firstDay;
    }

    @Override
    public synchronized void put(StoredForecast f) {
        forecasts.put(id(f.key(), f.firstDay()), f);
    }

    @Override
    public synchronized List<StoredForecast> dueForScoring(SeriesKey key, LocalDate asOf) {
        List<StoredForecast> out = new ArrayList<>();
        forecasts.forEach((id, f) -> {
            if (f.key().equals(key) && !scored.contains(id) && !f.firstDay().plusDays(f.horizonDays()).isAfter(asOf)) {
                out.add(f);
            }
        });
        return out;
    }

    @Override
    public synchronized boolean recordAccuracy(ForecastAccuracy a) {
        String id = id(a.key(), a.firstDay());
        scored.add(id);
        return accuracy.putIfAbsent(id, a) == null;
    }
}
