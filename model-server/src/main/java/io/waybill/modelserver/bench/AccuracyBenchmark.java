package io.waybill.modelserver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code ./waybill accuracy}: out-of-sample accuracy on the real series of {@code model-server/data/series.csv}. For each
 * series the last h points are held out (h = 18 monthly, 8 quarterly, as in M3 and M4), every method is fitted on the
 * rest and scored on them: MASE (scaled by the in-sample seasonal naive MAE, M4), sMAPE (M4, %) and the share of
 * held-out points inside the 10%-90% quantiles (80% interval coverage). The candidate is measured next to naive and
 * seasonal naive ({@link NaiveForecast}, computed in the same run); when {@code r-reference.csv} is there, R's
 * {@code forecast::ets}, {@code thetaf} and {@code snaive} figures on the same splits are printed beside ours.
 *
 * <p>A series whose fitting or held-out part still holds NaN is skipped (none of the shipped ones does). When the
 * candidate throws on a series, that series gets seasonal naive's forecast and is counted as a failure.
 */
public final class AccuracyBenchmark {
    static final List<String> R_METHODS = List.of("ets", "thetaf", "snaive", "naive");
    private final PrintStream out;

    public AccuracyBenchmark(PrintStream out) {
        this.out = out;
    }

    /** The scores of one method on one series. */
    public record Score(double mase, double smape, double coverage80) {
    }

    /** One series' scores, by method name; {@code candidateModel} is what the candidate fitted (or why it failed). */
    public record SeriesResult(String series, int frequency, int length, String candidateModel, boolean candidateFailed,
                               Map<String, Score> scores) {
    }

    /** Scores one method on one series' split. */
    public static Score score(ForecastMethod method, BenchmarkSeries series) {
        return score(method.fit(series.fittingPart(), series.frequency()), series);
    }

    static Score score(FittedForecast fitted, BenchmarkSeries series) {
        int h = series.horizon();
        double[] actual = series.heldOut();
        double[] mean = fitted.mean(h);
        return new Score(AccuracyMeasures.mase(series.fittingPart(), actual, mean, series.frequency()),
                AccuracyMeasures.smape(actual, mean),
                AccuracyMeasures.coverage(actual, fitted.quantile(0.1, h), fitted.quantile(0.9, h)));
    }

    /** Runs the benchmark; {@code candidate} may be null (baselines only). */
    public List<SeriesResult> run(List<BenchmarkSeries> series, String candidateName, ForecastMethod candidate) {
        List<SeriesResult> results = new ArrayList<>();
        for (BenchmarkSeries s : series) {
            double[] fit = s.fittingPart();
            if (Arrays.stream(fit).anyMatch(Double::isNaN) || Arrays.stream(s.heldOut()).anyMatch(Double::isNaN)) {
                out.println("skipped " + s.name() + ": NaN in its fitting or held-out part");
                continue;
            }
            Map<String, Score> scores = new LinkedHashMap<>();
            String model = "";
            boolean failed = false;
            if (candidate != null) {
                FittedForecast fitted;
                try {
                    fitted = candidate.fit(fit, s.frequency());
                    model = fitted.model();
                    scores.put(candidateName, score(fitted, s));
                } catch (RuntimeException e) {
                    failed = true;
                    model = "FAILED: " + e;
                    scores.put(candidateName, score(NaiveForecast.seasonalNaive(), s));
                }
            }
            scores.put("snaive", score(NaiveForecast.seasonalNaive(), s));
            scores.put("naive", score(NaiveForecast.naive(), s));
            results.add(new SeriesResult(s.name(), s.frequency(), s.values().length, model, failed, scores));
        }
        return results;
    }

    /** R's figures: series -> method -> score, read from r-reference.csv (written by r-reference.R). */
    public static Map<String, Map<String, Score>> readReference(Path csv) {
        Map<String, Map<String, Score>> reference = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            // series,method,model,mase,smape,coverage80; the model ("ETS(M,A,N)") is quoted and holds commas
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            for (int k = 0; k < f.length; k++) {
                f[k] = f[k].replace("\"", "");
            }
            reference.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1],
                    new Score(number(f[3]), number(f[4]), number(f[5])));
        }
        return reference;
    }

    private static double number(String s) {
        return s.equals("NA") || s.equals("NaN") || s.equals("Inf") ? Double.NaN : Double.parseDouble(s);
    }

    /** Mean, median and count of the finite values. */
    public record Summary(double mean, double median, int n) {
        static Summary of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
            if (v.length == 0) {
                return new Summary(Double.NaN, Double.NaN, 0);
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Summary(Arrays.stream(v).average().orElseThrow(), median, v.length);
        }
    }

    /** Overall figures of one method: MASE, sMAPE, coverage over the series. */
    public record Overall(Summary mase, Summary smape, Summary coverage80) {
    }

    static Overall overall(List<Score> scores) {
        return new Overall(Summary.of(scores.stream().map(Score::mase).toList()),
                Summary.of(scores.stream().map(Score::smape).toList()),
                Summary.of(scores.stream().map(Score::coverage80).toList()));
    }

    /** Geometric mean over series of method MASE / seasonal naive MASE (series where both are finite and > 0). */
    static double geometricMeanRatio(List<Score> method, List<Score> snaive) {
        double logs = 0;
        int n = 0;
        for (int i = 0; i < method.size(); i++) {
            double a = method.get(i).mase();
            double b = snaive.get(i).mase();
            if (Double.isFinite(a) && Double.isFinite(b) && a > 0 && b > 0) {
                logs += Math.log(a / b);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logs / n);
    }

    /** Prints the per-series table and the overall figures; returns the JSON summary. */
    public Map<String, Object> report(List<SeriesResult> results, Map<String, Map<String, Score>> reference) {
        List<String> ours = results.isEmpty() ? List.of() : new ArrayList<>(results.get(0).scores().keySet());
        List<String> rMethods = reference.isEmpty() ? List.of() : List.of("ets", "thetaf", "snaive");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-30s %2s %4s", "series", "f", "n"));
        for (String m : ours) {
            head.append(String.format(Locale.ROOT, " | %-21s", m + " MASE sMAPE cov"));
        }
        for (String m : rMethods) {
            head.append(String.format(Locale.ROOT, " | %-21s", "R " + m + " MASE sMAPE cov"));
        }
        out.println(head);
        for (SeriesResult r : results) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-30s %2d %4d", r.series(), r.frequency(), r.length()));
            for (String m : ours) {
                line.append(" | ").append(cells(r.scores().get(m)));
            }
            for (String m : rMethods) {
                line.append(" | ").append(cells(reference.getOrDefault(r.series(), Map.of()).get(m)));
            }
            if (r.candidateFailed()) {
                line.append("  ").append(r.candidateModel());
            }
            out.println(line);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("series", results.size());
        json.put("horizon", "18 monthly, 8 quarterly; MASE scaled by in-sample seasonal naive MAE; sMAPE in %; coverage of the 10%-90% interval");
        Map<String, Object> methods = new LinkedHashMap<>();
        List<Score> snaive = results.stream().map(r -> r.scores().get("snaive")).toList();
        out.println();
        out.printf(Locale.ROOT, "Overall over %d series (mean / median)%n", results.size());
        out.printf(Locale.ROOT, "%-26s %-19s %-19s %-19s %s%n", "method", "MASE", "sMAPE %", "coverage 80%",
                "MASE / snaive MASE (of means; geometric mean of per-series ratios)");
        for (String m : ours) {
            List<Score> scores = results.stream().map(r -> r.scores().get(m)).toList();
            methods.put(m, overallLine(m, scores, snaive));
        }
        if (!reference.isEmpty()) {
            out.println("R's figures on the same splits, measured by R forecast 8.20 offline (model-server/data/r-reference.csv):");
            List<Score> rSnaive = results.stream().map(r -> reference.getOrDefault(r.series(), Map.of()).get("snaive")).toList();
            for (String m : R_METHODS) {
                List<Score> scores = results.stream().map(r -> reference.getOrDefault(r.series(), Map.of()).get(m)).toList();
                if (scores.stream().allMatch(s -> s != null) && rSnaive.stream().allMatch(s -> s != null)) {
                    methods.put("R " + m, overallLine("R forecast::" + m, scores, rSnaive));
                }
            }
        }
        json.put("methods", methods);
        long failures = results.stream().filter(SeriesResult::candidateFailed).count();
        if (failures > 0) {
            out.printf(Locale.ROOT, "candidate failed on %d series (scored with seasonal naive's forecast there)%n", failures);
        }
        json.put("candidateFailures", failures);
        List<Map<String, Object>> perSeries = new ArrayList<>();
        for (SeriesResult r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("series", r.series());
            row.put("frequency", r.frequency());
            row.put("length", r.length());
            row.put("candidateModel", r.candidateModel());
            row.put("scores", r.scores());
            perSeries.add(row);
        }
        json.put("perSeries", perSeries);
        return json;
    }

    private Map<String, Object> overallLine(String label, List<Score> scores, List<Score> snaive) {
        Overall o = overall(scores);
        Overall s = overall(snaive);
        double relative = o.mase().mean() / s.mase().mean();
        double geometric = geometricMeanRatio(scores, snaive);
        out.printf(Locale.ROOT, "%-26s %8.3f / %-8.3f %8.2f / %-8.2f %8.3f / %-8.3f %.3f; %.3f%n", label,
                o.mase().mean(), o.mase().median(), o.smape().mean(), o.smape().median(),
                o.coverage80().mean(), o.coverage80().median(), relative, geometric);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mase", o.mase());
        m.put("smape", o.smape());
        m.put("coverage80", o.coverage80());
        m.put("maseOverSeasonalNaive", relative);
        m.put("geometricMeanMaseRatio", geometric);
        return m;
    }

    private static String cells(Score s) {
        if (s == null) {
            return String.format(Locale.ROOT, "%-21s", "-");
        }
        return String.format(Locale.ROOT, "%7.3f %7.2f %5.2f", s.mase(), s.smape(), s.coverage80());
    }

    private static final String USAGE = "usage: accuracy [--json FILE] [--series NAME...] [--candidate NAME] [--data series.csv]"
            + " [--r-reference r-reference.csv]";

    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("waybill.repo.root", "."));
        Path data = root.resolve("model-server/data/series.csv");
        Path rReference = root.resolve("model-server/data/r-reference.csv");
        Path json = null;
        String candidateName = null;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(value(args, ++i));
                case "--data" -> data = Path.of(value(args, ++i));
                case "--r-reference" -> rReference = Path.of(value(args, ++i));
                case "--candidate" -> candidateName = value(args, ++i);
                case "--series" -> {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        only.add(args[++i]);
                    }
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE + "\n  candidates: " + ForecastCandidates.all().keySet());
                    return;
                }
                default -> usageError("unknown option " + args[i]);
            }
        }
        Map<String, Supplier<ForecastMethod>> candidates = ForecastCandidates.all();
        ForecastMethod candidate = null;
        if (candidateName == null && !candidates.isEmpty()) {
            candidateName = candidates.keySet().iterator().next();
        }
        if (candidateName != null) {
            Supplier<ForecastMethod> supplier = candidates.get(candidateName);
            if (supplier == null) {
                usageError("unknown candidate " + candidateName + " (known: " + candidates.keySet() + ")");
            }
            candidate = supplier.get();
        }
        List<BenchmarkSeries> series = BenchmarkSeries.read(data);
        if (!only.isEmpty()) {
            List<String> unknown = only.stream().filter(n -> series.stream().noneMatch(s -> s.name().equals(n))).toList();
            if (!unknown.isEmpty()) {
                usageError("unknown series " + unknown);
            }
            series.removeIf(s -> !only.contains(s.name()));
        }
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Accuracy benchmark: %d series from %s; candidate %s%n", series.size(), data,
                candidate == null ? "none wired (baselines only)" : candidateName);
        AccuracyBenchmark benchmark = new AccuracyBenchmark(out);
        List<SeriesResult> results = benchmark.run(series, candidateName, candidate);
        Map<String, Map<String, Score>> reference = Files.exists(rReference) ? readReference(rReference) : Map.of();
        Map<String, Object> summary = benchmark.report(results, reference);
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), summary);
            out.println("JSON summary: " + json);
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usageError(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usageError(String message) {
        System.err.println("accuracy: " + message + "\n" + USAGE);
        System.exit(2);
    }
}
