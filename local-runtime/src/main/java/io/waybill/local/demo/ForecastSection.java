package io.waybill.local.demo;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import io.waybill.local.forecast.LocalForecasting;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The demo's "Demand forecasting" section. The live traffic's dock-door reads and departures from the origin DC become
 * demand lines through the canonical stream's demand intake; the section works out the same lines from the generated
 * records on its own (JSON payloads, GTIN from SGTIN by hand) and compares. It then seeds twelve weeks of prior history
 * (a regular and an intermittent SKU, {@link SeededDemandHistory}) through the intake handler directly, runs the daily
 * forecast as of four weeks ago (a backtest) and as of the day after the live day (which scores the backtest: MASE,
 * bias), prints each seeded series' forecast and reorder recommendation beside a seasonal-naive baseline the section
 * computes itself, and writes the stored forecasts to {@code forecasts.json}.
 */
final class ForecastSection {
    static final int SEEDED_WEEKS = 12;
    static final int BACKTEST_DAYS = 28;
    static final int SEASON = 7;
    /** How long the section waits for the demand intake to have joined the live traffic. */
    static final Duration INTAKE_TIMEOUT = Duration.ofSeconds(60);
    private static final String SGTIN = "urn:epc:id:sgtin:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final Path forecastsFile;
    private final long seed;
    private final GeneratedTraffic traffic;

    ForecastSection(PrintStream out, Path forecastsFile, long seed, GeneratedTraffic traffic) {
        this.out = out;
        this.forecastsFile = forecastsFile;
        this.seed = seed;
        this.traffic = traffic;
    }

    /** {@code <WAYBILL_HOME>/.waybill/demo/forecasts.json}, beside the provenance section's proofs. */
    static Path forecastsFile() {
        return DemoRun.spoolDirectory().resolveSibling("demo").resolve("forecasts.json");
    }

    /** The live day: the UTC day the generated trips depart. */
    static LocalDate liveDay() {
        return TrafficGenerator.TRIP_START.atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** One demand line: a shipment's SGTINs of one GTIN leaving one GLN on one UTC day. */
    record Line(String series, LocalDate day, String sscc, Set<String> epcs) implements Comparable<Line> {
        Line {
            epcs = Set.copyOf(epcs);
        }

        @Override
        public int compareTo(Line o) {
            return (series + day + sscc).compareTo(o.series + o.day + o.sscc);
        }
    }

    /**
     * The demand lines the generated traffic implies, worked out from the raw payloads: each RFID portal read's SGTIN
     * tags belong to the record's shipment; each GPS {@code GEOFENCE_EXIT} (geofence GLN, fix time) and 3PL
     * {@code DEP} (facility GLN, event time) is a departure; the earliest departure per shipment and GLN sets the day.
     */
    static List<Line> expectedLines(GeneratedTraffic traffic) {
        Map<String, Set<String>> contents = new TreeMap<>();
        Map<String, Map<String, Instant>> departures = new TreeMap<>();
        for (GeneratedTraffic.TrafficRecord r : traffic.records()) {
            if (r.shipmentSscc() == null) {
                continue;
            }
            JsonNode p = parse(r.payload());
            String route = p.path("wb_route").asText();
            if (route.startsWith("rfid-portal/")) {
                for (JsonNode tag : p.path("tags")) {
                    String epc = tag.path("epc").asText();
                    if (epc.startsWith(SGTIN)) {
                        contents.computeIfAbsent(r.shipmentSscc(), k -> new TreeSet<>()).add(epc);
                    }
                }
            } else if (route.startsWith("gps-tracker/") && "GEOFENCE_EXIT".equals(p.path("evt").asText())) {
                departed(departures, r.shipmentSscc(), p.path("geofence").path("gln").asText(),
                        Instant.ofEpochSecond(p.path("fix").path("ts").asLong()));
            } else if (route.startsWith("swiftlog/") && "DEP".equals(p.path("statusCode").asText())) {
                departed(departures, r.shipmentSscc(), p.path("facility").path("gln").asText(),
                        Instant.parse(p.path("eventTimeUtc").asText()));
            }
        }
        List<Line> lines = new ArrayList<>();
        departures.forEach((sscc, byGln) -> byGln.forEach((gln, at) -> {
            Map<String, Set<String>> byGtin = new TreeMap<>();
            for (String epc : contents.getOrDefault(sscc, Set.of())) {
                byGtin.computeIfAbsent(gtinOf(epc), g -> new TreeSet<>()).add(epc);
            }
            byGtin.forEach((gtin, epcs) -> lines.add(new Line(gtin + "@" + gln,
                    at.atZone(ZoneOffset.UTC).toLocalDate(), sscc, epcs)));
        }));
        lines.sort(null);
        return lines;
    }

    private static void departed(Map<String, Map<String, Instant>> departures, String sscc, String gln, Instant at) {
        departures.computeIfAbsent(sscc, k -> new TreeMap<>()).merge(gln, at, (a, b) -> a.isBefore(b) ? a : b);
    }

    /** GTIN-14 of an SGTIN pure-identity URN: indicator digit, company prefix, rest of the item reference, check digit. */
    static String gtinOf(String sgtinUrn) {
        String[] parts = sgtinUrn.substring(SGTIN.length()).split("\\.");
        String body = parts[1].charAt(0) + parts[0] + parts[1].substring(1);
        return body + gs1CheckDigit(body);
    }

    /** GS1 mod-10 check digit: weights 3, 1, 3, ... from the rightmost digit. */
    static int gs1CheckDigit(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            sum += i % 2 == 0 ? 3 * d : d;
        }
        return (10 - sum % 10) % 10;
    }

    /** Seasonal-naive forecast error (the last observed week repeated) over {@code horizon}, scaled as MASE. */
    static double seasonalNaiveMase(double[] history, double[] actuals) {
        double error = 0;
        for (int h = 0; h < actuals.length; h++) {
            double forecast = history[history.length - SEASON + h % SEASON];
            error += Math.abs(actuals[h] - forecast);
        }
        double scale = maseScale(history);
        return scale > 0 ? error / actuals.length / scale : Double.NaN;
    }

    /** Mean absolute 7-day difference (plain difference under two weeks, or when the weekly one is 0). */
    static double maseScale(double[] y) {
        double scale = y.length >= 2 * SEASON ? meanAbsDifference(y, SEASON) : 0;
        return scale > 0 ? scale : meanAbsDifference(y, 1);
    }

    private static double meanAbsDifference(double[] y, int lag) {
        if (y.length <= lag) {
            return 0;
        }
        double sum = 0;
        for (int i = lag; i < y.length; i++) {
            sum += Math.abs(y[i] - y[i - lag]);
        }
        return sum / (y.length - lag);
    }

    void print(LocalForecasting forecasting, List<String> failures) {
        out.println("Demand forecasting (io.waybill.forecast.DemandIntakeHandler on the canonical stream, the forecast run, the");
        out.println("  model server in this JVM standing in for the SageMaker endpoint, reached through the real SageMaker runtime client)");
        DemandLedger ledger = forecasting.function().ledger();
        LocalDate live = liveDay();
        List<Line> expected = expectedLines(traffic);
        Set<String> generated = new HashSet<>(traffic.shipments());
        List<Line> actual = liveLines(ledger, live, generated, expected);
        Map<String, Map<LocalDate, Integer>> units = new TreeMap<>();
        actual.forEach(l -> units.computeIfAbsent(l.series(), k -> new TreeMap<>()).merge(l.day(), l.epcs().size(),
                Integer::sum));
        out.printf(Locale.ROOT, "  Live traffic: %d demand lines built by the intake from the generated trips' dock-door reads and departures%n",
                actual.size());
        units.forEach((series, byDay) -> byDay.forEach((day, n) ->
                out.printf(Locale.ROOT, "    %s  %s  %d units%n", series, day, n)));
        boolean same = actual.equals(expected);
        out.printf(Locale.ROOT, "  the generated records imply %d lines (%d units; worked out here from the raw payloads): %s%n",
                expected.size(), expected.stream().mapToInt(l -> l.epcs().size()).sum(), same ? "same lines, same SGTINs OK" : "DIFFERS");
        check(same, "demand lines built from the live traffic differ from what the generated traffic implies", failures);
        List<Line> others = otherLines(ledger, live, generated);
        if (!others.isEmpty()) {
            out.printf(Locale.ROOT, "  (%d other line(s) come from the vendor samples, not compared: %s)%n", others.size(),
                    others.stream().map(l -> l.series() + " " + l.day() + " " + l.epcs().size() + " units").toList());
        }

        String dc = expected.isEmpty() ? "0614141000012" : SeriesKey.parse(expected.get(0).series()).locationGln();
        SeededDemandHistory seeded = SeededDemandHistory.generate(seed, dc, live, SEEDED_WEEKS);
        int invocations = 0;
        for (var batch : seeded.batches(100)) {
            invocations++;
            if (!deliver(forecasting, batch)) {
                failures.add("the demand intake did not accept the seeded history");
                out.println("  FAILED: the demand intake did not accept the seeded history");
                return;
            }
        }
        out.printf(Locale.ROOT, "  History: SEEDED, not live. %d weeks before the live day (%s .. %s) at DC %s, seed %d:%n",
                SEEDED_WEEKS, seeded.firstDay(), live.minusDays(1), dc, seed);
        out.printf(Locale.ROOT, "    %s: weekly pattern (Mon..Sun means %s units) + Gaussian noise (sd %.1f), rounded, at least 1;%n",
                SeededDemandHistory.REGULAR_CLASS, java.util.Arrays.toString(SeededDemandHistory.WEEKDAY_UNITS),
                SeededDemandHistory.NOISE_SD);
        out.printf(Locale.ROOT, "    %s: intermittent, an order of 1-6 units on a day with probability %.1f;%n",
                SeededDemandHistory.INTERMITTENT_CLASS, SeededDemandHistory.INTERMITTENT_ORDER_PROBABILITY);
        out.printf(Locale.ROOT, "    %d canonical events (InventoryObserved + ShipmentDeparted per shipment) handed to the intake handler in%n"
                        + "    %d Kinesis batches (not put on the canonical stream: its KPI and cold-chain consumers would report them).%n",
                seeded.events().size(), invocations);

        LocalDate backtestAsOf = live.plusDays(1 - BACKTEST_DAYS);
        LocalDate asOf = live.plusDays(1);
        ForecastRun.Report backtest = forecasting.runOnce(backtestAsOf);
        ForecastRun.Report run = forecasting.runOnce(asOf);
        out.printf(Locale.ROOT, "  Forecast runs (the daily schedule's code): as of %s (backtest): %d series, %d stored, %d skipped, %d rejected%s;%n",
                backtestAsOf, backtest.series(), backtest.stored(), backtest.skipped(), backtest.rejected(),
                backtest.endpointUnavailable() ? ", ENDPOINT UNAVAILABLE" : "");
        out.printf(Locale.ROOT, "    as of %s: %d series, %d stored, %d skipped, %d rejected%s, %d earlier forecast(s) scored%n",
                asOf, run.series(), run.stored(), run.skipped(), run.rejected(),
                run.endpointUnavailable() ? ", ENDPOINT UNAVAILABLE" : "", run.scored().size());
        check(!backtest.endpointUnavailable() && !run.endpointUnavailable(), "the forecast endpoint was unavailable", failures);

        for (String sgtinClass : List.of(SeededDemandHistory.REGULAR_CLASS, SeededDemandHistory.INTERMITTENT_CLASS)) {
            SeriesKey key = new SeriesKey(gtinOf(SGTIN + sgtinClass + ".0"), dc);
            double[] y = demand(seeded, sgtinClass, expected, key, live);
            seriesReport(forecasting, key, sgtinClass, seeded.firstDay(), y, backtestAsOf, asOf, failures);
        }
        writeForecasts(forecasting, ledger, failures);
        out.println();
    }

    /** Units per day from the seeded history's first day through the live day: the generator's plan, the live lines. */
    private static double[] demand(SeededDemandHistory seeded, String sgtinClass, List<Line> live, SeriesKey key,
                                   LocalDate liveDay) {
        int[] planned = seeded.planned(sgtinClass);
        double[] y = new double[planned.length + 1];
        for (int i = 0; i < planned.length; i++) {
            y[i] = planned[i];
        }
        y[planned.length] = live.stream().filter(l -> l.series().equals(key.id()) && l.day().equals(liveDay))
                .mapToInt(l -> l.epcs().size()).sum();
        return y;
    }

    private void seriesReport(LocalForecasting forecasting, SeriesKey key, String sgtinClass, LocalDate first,
                              double[] y, LocalDate backtestAsOf, LocalDate asOf, List<String> failures) {
        boolean intermittent = SeededDemandHistory.INTERMITTENT_CLASS.equals(sgtinClass);
        out.printf(Locale.ROOT, "  %s (%s, %s)%n", key.id(), sgtinClass, intermittent ? "intermittent" : "regular");
        // the history begins at the first day with demand, as the run reads it
        int start = 0;
        while (start < y.length && y[start] == 0) {
            start++;
        }
        LocalDate firstDemand = first.plusDays(start);
        DemandHistory stored = forecasting.store().history(key, firstDemand, asOf.minusDays(1));
        double[] mine = java.util.Arrays.copyOfRange(y, start, y.length);
        boolean sameHistory = java.util.Arrays.equals(stored.unitsPerDay(), mine);
        out.printf(Locale.ROOT, "    demand history %s .. %s read back from the ledger: %d days, %.0f units, %s%n",
                firstDemand, asOf.minusDays(1), stored.days(), java.util.Arrays.stream(stored.unitsPerDay()).sum(),
                sameHistory ? "as seeded + live OK" : "DIFFERS from seeded + live");
        check(sameHistory, key.id() + ": the ledger's history differs from the seeded + live demand", failures);
        Optional<StoredForecast> latest = forecasting.store().latest(key);
        if (latest.isEmpty() || !latest.get().firstDay().equals(asOf)) {
            out.println("    FAILED: no forecast stored from " + asOf);
            failures.add("no forecast stored for seeded series " + key.id());
            return;
        }
        StoredForecast f = latest.get();
        double week = 0;
        for (int d = 0; d < Math.min(7, f.mean().length); d++) {
            week += f.mean()[d];
        }
        double[] lo = f.quantiles().get("0.1");
        double[] mid = f.quantiles().get("0.5");
        double[] hi = f.quantiles().get("0.9");
        boolean ordered = lo != null && mid != null && hi != null;
        for (int d = 0; ordered && d < lo.length; d++) {
            ordered = lo[d] <= mid[d] && mid[d] <= hi[d];
        }
        out.printf(Locale.ROOT, "    forecast from %s: %d days of history, method %s, model %s %s%n", f.firstDay(),
                f.historyDays(), f.method(), f.modelName(), f.modelVersion());
        out.printf(Locale.ROOT, "    next 7 days mean %.2f units/day; day 1 median %s, 10%%-90%% band %s .. %s  %s%n",
                week / Math.min(7, f.mean().length), fmt(mid, 0), fmt(lo, 0), fmt(hi, 0),
                ordered ? "(bands ordered on all " + f.horizonDays() + " days OK)" : "BANDS NOT ORDERED");
        check(ordered, key.id() + ": quantile band not ordered (0.1 <= 0.5 <= 0.9 on every day)", failures);
        var r = f.reorder();
        boolean covered = r.reorderPoint() + 1e-9 >= r.leadTimeDemandMean();
        out.printf(Locale.ROOT, "    reorder: service level %.2f, lead time %d days, lead-time mean %.1f, reorder point %.1f, safety stock %.1f"
                        + " (basis %s)  %s%n", r.serviceLevel(), r.leadTimeDays(), r.leadTimeDemandMean(), r.reorderPoint(),
                r.safetyStock(), r.basis(), covered ? "OK" : "REORDER POINT BELOW LEAD-TIME MEAN");
        check(covered, key.id() + ": reorder point " + r.reorderPoint() + " below the lead-time mean "
                + r.leadTimeDemandMean(), failures);
        if (intermittent) {
            String m = f.method() == null ? "" : f.method().toLowerCase(Locale.ROOT);
            boolean croston = m.contains("croston") || m.contains("sba") || m.contains("tsb");
            out.printf(Locale.ROOT, "    intermittent SKU given a Croston-family method: %s%n", croston ? "OK" : "NO (" + f.method() + ")");
            check(croston, key.id() + ": intermittent SKU given method " + f.method() + ", not a Croston-family one", failures);
        }
        Optional<ForecastAccuracy> scored = forecasting.store().accuracy(key, 10).stream()
                .filter(a -> a.firstDay().equals(backtestAsOf)).findFirst();
        int backtestStart = (int) (backtestAsOf.toEpochDay() - firstDemand.toEpochDay());
        double[] history = java.util.Arrays.copyOfRange(mine, 0, backtestStart);
        double[] actuals = java.util.Arrays.copyOfRange(mine, backtestStart, mine.length);
        double naive = seasonalNaiveMase(history, actuals);
        if (scored.isEmpty()) {
            out.printf(Locale.ROOT, "    FAILED: the backtest from %s was not scored%n", backtestAsOf);
            failures.add(key.id() + ": the backtest forecast from " + backtestAsOf + " was not scored");
            return;
        }
        ForecastAccuracy a = scored.get();
        out.printf(Locale.ROOT, "    backtest from %s (%d days of history), scored over %d days: MASE %s, bias %+.2f units/day;"
                        + " seasonal naive MASE %s (computed here, same days, same scale %.3f)%n",
                backtestAsOf, history.length, a.daysCompared(), fmt(a.mase()), a.bias(), fmt(naive), maseScale(history));
    }

    /** Hands one batch to the intake handler as the mapping would: a partial failure is redelivered (idempotent). */
    private static boolean deliver(LocalForecasting forecasting,
                                   com.amazonaws.services.lambda.runtime.events.KinesisEvent batch) {
        for (int attempt = 0; attempt < 3; attempt++) {
            StreamsEventResponse r = forecasting.intakeHandler().handleRequest(batch, null);
            if (r.getBatchItemFailures() == null || r.getBatchItemFailures().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The ledger's lines of the generated shipments, once the intake has joined what the traffic implies (60 s). */
    private static List<Line> liveLines(DemandLedger ledger, LocalDate live, Set<String> generated, List<Line> expected) {
        long deadline = System.nanoTime() + INTAKE_TIMEOUT.toNanos();
        List<Line> actual = lines(ledger, live, generated, true);
        while (!actual.equals(expected) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            actual = lines(ledger, live, generated, true);
        }
        return actual;
    }

    private static List<Line> otherLines(DemandLedger ledger, LocalDate live, Set<String> generated) {
        return lines(ledger, live, generated, false);
    }

    /** Current (not superseded) lines around the live day: of the generated shipments, or of every other one. */
    private static List<Line> lines(DemandLedger ledger, LocalDate live, Set<String> generated, boolean ofGenerated) {
        List<Line> out = new ArrayList<>();
        for (String gln : ledger.locations()) {
            for (SeriesKey key : ledger.series(gln)) {
                for (DemandLedger.DemandLine l : ledger.lines(key, live.minusDays(1), live.plusDays(2))) {
                    if (!l.superseded() && generated.contains(l.sscc()) == ofGenerated && !l.epcs().isEmpty()) {
                        out.add(new Line(key.id(), l.day(), l.sscc(), l.epcs()));
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Every series' latest stored forecast and its accuracy, as JSON, to {@link #forecastsFile}. */
    private void writeForecasts(LocalForecasting forecasting, DemandLedger ledger, List<String> failures) {
        ArrayNode all = JSON.createArrayNode();
        for (String gln : ledger.locations()) {
            for (SeriesKey key : ledger.series(gln)) {
                Optional<StoredForecast> latest = forecasting.store().latest(key);
                if (latest.isEmpty()) {
                    continue;
                }
                StoredForecast f = latest.get();
                ObjectNode n = all.addObject();
                n.put("series", key.id()).put("gtin", key.gtin()).put("gln", key.locationGln())
                        .put("firstDay", f.firstDay().toString()).put("horizonDays", f.horizonDays())
                        .put("issuedAt", f.issuedAt().toString()).put("modelName", f.modelName())
                        .put("modelVersion", f.modelVersion()).put("method", f.method())
                        .put("historyDays", f.historyDays()).put("maseScale", f.maseScale());
                ArrayNode mean = n.putArray("mean");
                for (double v : f.mean()) {
                    mean.add(v);
                }
                ObjectNode q = n.putObject("quantiles");
                f.quantiles().forEach((level, values) -> {
                    ArrayNode a = q.putArray(level);
                    for (double v : values) {
                        a.add(v);
                    }
                });
                var r = f.reorder();
                n.putObject("reorder").put("serviceLevel", r.serviceLevel()).put("leadTimeDays", r.leadTimeDays())
                        .put("leadTimeDemandMean", r.leadTimeDemandMean()).put("reorderPoint", r.reorderPoint())
                        .put("safetyStock", r.safetyStock()).put("basis", r.basis());
                ArrayNode acc = n.putArray("accuracy");
                for (ForecastAccuracy a : forecasting.store().accuracy(key, 10)) {
                    ObjectNode o = acc.addObject().put("firstDay", a.firstDay().toString())
                            .put("daysCompared", a.daysCompared()).put("bias", a.bias());
                    if (Double.isFinite(a.mase())) {
                        o.put("mase", a.mase());
                    } else {
                        o.putNull("mase");
                    }
                }
            }
        }
        try {
            Files.createDirectories(forecastsFile.getParent());
            Files.writeString(forecastsFile, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(all) + "\n", StandardCharsets.UTF_8);
            out.printf(Locale.ROOT, "  The %d stored forecasts (latest per series, with reorder recommendation and accuracy) are in %s%n",
                    all.size(), forecastsFile);
        } catch (IOException e) {
            failures.add("forecasts.json not written: " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fmt(double[] values, int day) {
        return values == null ? "-" : String.format(Locale.ROOT, "%.1f", values[day]);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "undefined";
    }

    private static void check(boolean ok, String failure, List<String> failures) {
        if (!ok) {
            failures.add(failure);
        }
    }
}
