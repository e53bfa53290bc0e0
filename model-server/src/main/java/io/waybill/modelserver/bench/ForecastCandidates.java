package io.waybill.modelserver.bench;

import io.waybill.modelserver.model.ForecastMethod;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The methods the benchmarks can measure ({@code --candidate NAME}); the first is the default. The baselines (naive,
 * seasonal naive) are not candidates: every run measures them itself.
 */
public final class ForecastCandidates {
    private ForecastCandidates() {
    }

    public static Map<String, Supplier<ForecastMethod>> all() {
        Map<String, Supplier<ForecastMethod>> candidates = new LinkedHashMap<>();
        candidates.put("auto", io.waybill.modelserver.methods.AutomaticForecast::standard);
        candidates.put("ets", io.waybill.modelserver.ets.Ets::auto);
        candidates.put("theta", io.waybill.modelserver.methods.Theta::new);
        return candidates;
    }
}
