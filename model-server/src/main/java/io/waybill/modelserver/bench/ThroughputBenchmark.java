package io.waybill.modelserver.bench;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code ./waybill forecast-speed}: forecasts per second per core for 1,000 monthly series, on one core and on all
 * cores (each timed over at least 2 s of whole passes over the 1,000, after a warm-up), then the model server's cold
 * start ({@link ColdStart}). A forecast is what one invocation instance costs: fit, 18 mean steps, the 10% and 90%
 * quantiles. Seasonal naive is measured in the same run as a floor (the cost of the harness itself).
 *
 * <p>The 1,000 series are built deterministically from the M shipped monthly series of series.csv (M = 24 today):
 * series i is monthly series i mod M, cut to a window of at most 120 months ending 6 * ((i / M) mod 4) months before
 * its end, every value multiplied by (1 + 0.01 g), g standard normal from {@code SplittableRandom(i)}. Windows of 54 to
 * 120 months; a zero stays zero.
 */
public final class ThroughputBenchmark {
    static final int HORIZON = 18;
    private final PrintStream out;

    public ThroughputBenchmark(PrintStream out) {
        this.out = out;
    }

    /** The benchmark's monthly series, as the class comment describes. */
    public static List<double[]> monthlySeries(List<BenchmarkSeries> shipped, int count) {
        List<BenchmarkSeries> monthly = shipped.stream().filter(s -> s.frequency() == 12).toList();
        if (monthly.isEmpty()) {
            throw new IllegalArgumentException("no monthly series to build from");
        }
        List<double[]> series = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] base = monthly.get(i % monthly.size()).values();
            int end = base.length - 6 * ((i / monthly.size()) % 4);
            int start = Math.max(0, end - 120);
            double[] window = Arrays.copyOfRange(base, start, end);
            SplittableRandom random = new SplittableRandom(i);
            for (int t = 0; t < window.length; t++) {
                window[t] *= 1 + 0.01 * random.nextGaussian();
            }
            series.add(window);
        }
        return series;
    }

    /** One forecast as an invocation instance asks it: fit, mean, 10% and 90% quantiles. */
    static double forecast(ForecastMethod method, double[] y) {
        FittedForecast fitted = method.fit(y, 12);
        return fitted.mean(HORIZON)[HORIZON - 1] + fitted.quantile(0.1, HORIZON)[0] + fitted.quantile(0.9, HORIZON)[0];
    }

    /**
     * Forecasts per second over the series on {@code threads} threads: the whole list again and again until at least
     * {@code minSeconds} went by (so a cheap method is not timed on a few milliseconds).
     */
    double rate(ForecastMethod method, List<double[]> series, int threads, double minSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            long forecasts = 0;
            double sink = 0;
            do {
                List<Future<Double>> parts = new ArrayList<>();
                for (int k = 0; k < threads; k++) {
                    List<double[]> part = series.subList(k * series.size() / threads, (k + 1) * series.size() / threads);
                    parts.add(pool.submit(() -> {
                        double s = 0;
                        for (double[] y : part) {
                            s += forecast(method, y);
                        }
                        return s;
                    }));
                }
                for (Future<Double> f : parts) {
                    sink += f.get();
                }
                forecasts += series.size();
            } while (System.nanoTime() - start < minSeconds * 1e9);
            blackhole(sink);
            return forecasts / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static volatile double blackhole;

    private static void blackhole(double v) {
        blackhole = v;
    }

    /** Warm-up (every series once on all cores, then once on one), then the timed runs; prints and returns figures. */
    public Map<String, Double> measure(String name, ForecastMethod method, List<double[]> series, int cores) throws Exception {
        rate(method, series, cores, 0);
        rate(method, series, 1, 1);
        double one = rate(method, series, 1, 2);
        double all = rate(method, series, cores, 2);
        out.printf(Locale.ROOT, "%-10s 1 core: %,10.0f forecasts/s | %d cores: %,10.0f forecasts/s = %,10.0f per core%n",
                name, one, cores, all, all / cores);
        return Map.of("oneCore", one, "allCores", all, "perCoreAllCores", all / cores);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("waybill.repo.root", "."));
        Path data = root.resolve("model-server/data/series.csv");
        Path jar = root.resolve("model-server/target/waybill-model-server.jar");
        String candidateName = null;
        int count = 1000;
        int runs = 5;
        boolean coldStart = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--candidate" -> candidateName = args[++i];
                case "--series" -> count = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-cold-start" -> coldStart = false;
                case "--help", "-h" -> {
                    System.out.println("usage: forecast-speed [--candidate NAME] [--series 1000] [--runs 5] [--jar FILE]"
                            + " [--no-cold-start] [--data series.csv]\n  candidates: " + ForecastCandidates.all().keySet());
                    return;
                }
                default -> {
                    System.err.println("forecast-speed: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        Map<String, Supplier<ForecastMethod>> candidates = ForecastCandidates.all();
        if (candidateName == null && !candidates.isEmpty()) {
            candidateName = candidates.keySet().iterator().next();
        }
        if (candidateName != null && !candidates.containsKey(candidateName)) {
            System.err.println("forecast-speed: unknown candidate " + candidateName + " (known: " + candidates.keySet() + ")");
            System.exit(2);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        List<double[]> series = monthlySeries(BenchmarkSeries.read(data), count);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Forecast throughput: %d monthly series (54-120 months), h = %d, mean + 10%%/90%% quantiles;"
                + " %d cores; warm-up first%n", series.size(), HORIZON, cores);
        ThroughputBenchmark benchmark = new ThroughputBenchmark(out);
        benchmark.measure("snaive", NaiveForecast.seasonalNaive(), series, cores);
        if (candidateName == null) {
            out.println("candidate: none wired (ForecastCandidates), seasonal naive only");
        } else {
            benchmark.measure(candidateName, candidates.get(candidateName).get(), series, cores);
        }
        boolean ok = true;
        if (coldStart) {
            ok = new ColdStart(out).run(jar, runs);
        }
        System.exit(ok ? 0 : 1);
    }
}
