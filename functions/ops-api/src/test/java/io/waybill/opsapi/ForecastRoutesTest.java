package io.waybill.opsapi;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastReadModel;
import io.waybill.domain.forecast.OnDemandForecast;
import io.waybill.domain.forecast.ReorderRecommendation;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.opsapi.ContractCheckedCalls.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import static io.waybill.opsapi.ContractCheckedCalls.assertProblem;
import static io.waybill.opsapi.ContractCheckedCalls.call;
import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /forecasts} over an in-memory read model and on-demand forecaster written here: series in a sorted set,
 * demand as a map of days, forecasts and accuracy as given. Every response is validated against the OpenAPI document
 * ({@link ContractCheckedCalls}); the expected bodies are written out by hand. Today is 2026-03-02 (UTC).
 */
class ForecastRoutesTest {
    static final Map<String, String> WRITER = Map.of("sub", "u-2", "username", "bob", "scope",
            "ops.read ops.write");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);
    private static final String DC = "0614141000005";
    private static final String STORE = "0614141000012";
    private static final SeriesKey A = new SeriesKey("10614141000019", DC);
    private static final SeriesKey B = new SeriesKey("10614141000026", DC);
    private static final SeriesKey C = new SeriesKey("10614141000019", STORE);
    private static final SeriesKey UNKNOWN = new SeriesKey("10614141999999", DC);

    private final Forecasts model = new Forecasts();
    private final Forecaster forecaster = new Forecaster();
    private final OpsApiHandler handler = new OpsApiHandler(new OpsApi(List.of(
            new ForecastRoutes(model, forecaster, CLOCK))));

    /** The read model: sorted ids, demand by day, the latest forecast and scored forecasts (latest first). */
    static final class Forecasts implements ForecastReadModel {
        final TreeSet<String> ids = new TreeSet<>();
        final Map<SeriesKey, Map<LocalDate, Double>> demand = new HashMap<>();
        final Map<SeriesKey, StoredForecast> latest = new HashMap<>();
        final Map<SeriesKey, List<ForecastAccuracy>> accuracy = new HashMap<>();
        RuntimeException failure;
        LocalDate lastFrom;
        LocalDate lastTo;

        @Override
        public List<SeriesKey> series(String locationGln, String afterId, int limit) {
            fail();
            List<SeriesKey> out = new ArrayList<>();
            for (String id : afterId == null ? ids : ids.tailSet(afterId, false)) {
                SeriesKey k = SeriesKey.parse(id);
                if ((locationGln == null || k.locationGln().equals(locationGln)) && out.size() < limit) {
                    out.add(k);
                }
            }
            return out;
        }

        @Override
        public DemandHistory history(SeriesKey key, LocalDate from, LocalDate toInclusive) {
            fail();
            lastFrom = from;
            lastTo = toInclusive;
            int n = (int) (toInclusive.toEpochDay() - from.toEpochDay() + 1);
            double[] units = new double[n];
            Map<LocalDate, Double> d = demand.getOrDefault(key, Map.of());
            for (int i = 0; i < n; i++) {
                units[i] = d.getOrDefault(from.plusDays(i), 0.0);
            }
            return new DemandHistory(key, from, units);
        }

        @Override
        public Optional<StoredForecast> latest(SeriesKey key) {
            fail();
            return Optional.ofNullable(latest.get(key));
        }

        @Override
        public List<ForecastAccuracy> accuracy(SeriesKey key, int limit) {
            fail();
            List<ForecastAccuracy> a = accuracy.getOrDefault(key, List.of());
            return a.subList(0, Math.min(limit, a.size()));
        }

        private void fail() {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Forecasts now: answers what {@code next} supplies, and records the key and the day asked. */
    static final class Forecaster implements OnDemandForecast {
        Supplier<Optional<StoredForecast>> next = Optional::empty;
        SeriesKey lastKey;
        LocalDate lastAsOf;

        @Override
        public Optional<StoredForecast> forecastNow(SeriesKey key, LocalDate asOf) {
            lastKey = key;
            lastAsOf = asOf;
            return next.get();
        }
    }

    /** A three-day forecast of A from {@code firstDay}, every value chosen by hand. */
    private static StoredForecast forecast(SeriesKey key, LocalDate firstDay) {
        TreeMap<String, double[]> q = new TreeMap<>();
        q.put("0.1", new double[] {4.1, 3.9, 3.8});
        q.put("0.5", new double[] {10.5, 10.5, 10.5});
        q.put("0.9", new double[] {16.9, 17.1, Double.NaN});
        return new StoredForecast(key, firstDay, Instant.parse("2026-03-02T03:00:12Z"), "waybill-demand", "1",
                "ETS(A,N,N)", new double[] {10.5, 10.5, 10.5}, q,
                new ReorderRecommendation(0.95, 3, 31.5, 44.0, 12.5, "samples"), 4.2, 364);
    }

    private void knownSeries() {
        model.ids.add(A.id());
        model.ids.add(B.id());
        model.ids.add(C.id());
        model.latest.put(A, forecast(A, LocalDate.parse("2026-03-02")));
        model.accuracy.put(A, List.of(new ForecastAccuracy(A, LocalDate.parse("2026-02-02"), 28, 0.82, -0.4),
                new ForecastAccuracy(A, LocalDate.parse("2026-01-05"), 28, 1.25, 2.0)));
    }

    private Reply post(String path, Map<String, String> claims) {
        return call(handler, "POST", path, null, claims, null);
    }

    // ---- GET /forecasts

    @Test
    void theListPagesSeriesByIdWithTheirLatestForecastAndLastAccuracy() {
        knownSeries();

        Reply first = get(handler, "/forecasts", "limit=2");

        JsonNode items = first.expect(200).get("items");
        assertThat(items).hasSize(2);
        JsonNode a = items.get(0);
        assertThat(a.get("seriesId").asText()).isEqualTo("10614141000019@0614141000005");
        assertThat(a.get("gtin").asText()).isEqualTo("10614141000019");
        assertThat(a.get("locationGln").asText()).isEqualTo(DC);
        JsonNode latest = a.get("latest");
        assertThat(latest.get("firstDay").asText()).isEqualTo("2026-03-02");
        assertThat(latest.get("horizonDays").asInt()).isEqualTo(3);
        assertThat(latest.get("method").asText()).isEqualTo("ETS(A,N,N)");
        assertThat(latest.get("modelName").asText()).isEqualTo("waybill-demand");
        assertThat(latest.get("modelVersion").asText()).isEqualTo("1");
        assertThat(latest.get("serviceLevel").asDouble()).isEqualTo(0.95);
        assertThat(latest.get("reorderPoint").asDouble()).isEqualTo(44.0);
        assertThat(latest.get("safetyStock").asDouble()).isEqualTo(12.5);
        assertThat(a.get("lastAccuracy").get("firstDay").asText()).isEqualTo("2026-02-02"); // the latest scored
        assertThat(a.get("lastAccuracy").get("mase").asDouble()).isEqualTo(0.82);
        assertThat(a.get("lastAccuracy").get("bias").asDouble()).isEqualTo(-0.4);
        // ids sort "10614141000019@0614141000005" < "10614141000019@0614141000012" < "10614141000026@..."
        JsonNode second = items.get(1);
        assertThat(second.get("seriesId").asText()).isEqualTo("10614141000019@0614141000012");
        assertThat(second.has("latest")).isFalse();
        assertThat(second.has("lastAccuracy")).isFalse();
        assertThat(first.body().get("nextPageToken").asText()).isEqualTo("10614141000019@0614141000012");
        assertThat(first.header("Link")).isEqualTo(
                "</forecasts?limit=2&pageToken=10614141000019%400614141000012>; rel=\"next\"");

        Reply rest = get(handler, "/forecasts", "limit=2&pageToken=10614141000019%400614141000012");
        assertThat(rest.expect(200).get("items")).hasSize(1);
        assertThat(rest.body().get("items").get(0).get("seriesId").asText())
                .isEqualTo("10614141000026@0614141000005");
        assertThat(rest.body().has("nextPageToken")).isFalse();
        assertThat(rest.header("Link")).isNull();
    }

    @Test
    void afterIsTheSameCursorAsThePageTokenAndLocationFilters() {
        knownSeries();

        Reply after = get(handler, "/forecasts", "after=10614141000019@0614141000005");
        assertThat(after.expect(200).get("items")).extracting(n -> n.get("seriesId").asText())
                .containsExactly("10614141000019@0614141000012", "10614141000026@0614141000005");

        Reply atDc = get(handler, "/forecasts", "location=" + DC);
        assertThat(atDc.expect(200).get("items")).extracting(n -> n.get("seriesId").asText())
                .containsExactly("10614141000019@0614141000005", "10614141000026@0614141000005");
    }

    @Test
    void aFullLastPageHasNoNextToken() {
        knownSeries();
        Reply r = get(handler, "/forecasts", "limit=3");
        assertThat(r.expect(200).get("items")).hasSize(3);
        assertThat(r.body().has("nextPageToken")).isFalse();
    }

    @Test
    void listParametersAreRefusedByName() {
        assertProblem(get(handler, "/forecasts", "location=123"), 400, "invalid-parameter", "location");
        assertProblem(get(handler, "/forecasts", "after=nope"), 400, "invalid-parameter", "after");
        assertProblem(get(handler, "/forecasts", "pageToken=nope"), 400, "invalid-parameter", "pageToken");
        assertProblem(get(handler, "/forecasts", "after=" + A.id() + "&pageToken=" + B.id()), 400,
                "invalid-parameter", "after");
        assertProblem(get(handler, "/forecasts", "limit=101"), 400, "invalid-parameter", "limit");
        assertProblem(get(handler, "/forecasts", "limit=0"), 400, "invalid-parameter", "limit");
    }

    // ---- GET /forecasts/{seriesId}

    @Test
    void aSeriesHasItsHistoryBeforeTodayItsForecastAndItsAccuracy() {
        knownSeries();
        model.demand.put(A, Map.of(LocalDate.parse("2026-02-27"), 12.0, LocalDate.parse("2026-03-01"), 9.0,
                LocalDate.parse("2026-03-02"), 99.0)); // today: not history yet

        JsonNode s = get(handler, "/forecasts/" + A.id(), "days=3").expect(200);

        assertThat(s.get("seriesId").asText()).isEqualTo("10614141000019@0614141000005");
        // the 3 days before 2026-03-02: 02-27, 02-28, 03-01
        assertThat(s.get("history").get("firstDay").asText()).isEqualTo("2026-02-27");
        assertThat(s.get("history").get("unitsPerDay")).extracting(JsonNode::asDouble).containsExactly(12.0, 0.0, 9.0);
        JsonNode f = s.get("forecast");
        assertThat(f.get("firstDay").asText()).isEqualTo("2026-03-02");
        assertThat(f.get("horizonDays").asInt()).isEqualTo(3);
        assertThat(f.get("issuedAt").asText()).isEqualTo("2026-03-02T03:00:12Z");
        assertThat(f.get("modelName").asText()).isEqualTo("waybill-demand");
        assertThat(f.get("modelVersion").asText()).isEqualTo("1");
        assertThat(f.get("method").asText()).isEqualTo("ETS(A,N,N)");
        assertThat(f.get("historyDays").asInt()).isEqualTo(364);
        assertThat(f.get("maseScale").asDouble()).isEqualTo(4.2);
        assertThat(f.get("mean")).extracting(JsonNode::asDouble).containsExactly(10.5, 10.5, 10.5);
        assertThat(f.get("quantiles").fieldNames()).toIterable().containsExactly("0.1", "0.5", "0.9");
        assertThat(f.get("quantiles").get("0.1")).extracting(JsonNode::asDouble).containsExactly(4.1, 3.9, 3.8);
        JsonNode p90 = f.get("quantiles").get("0.9");
        assertThat(p90.get(0).asDouble()).isEqualTo(16.9);
        assertThat(p90.get(2).isNull()).as("NaN is written as null").isTrue();
        JsonNode r = f.get("reorder");
        assertThat(r.get("serviceLevel").asDouble()).isEqualTo(0.95);
        assertThat(r.get("leadTimeDays").asInt()).isEqualTo(3);
        assertThat(r.get("leadTimeDemandMean").asDouble()).isEqualTo(31.5);
        assertThat(r.get("reorderPoint").asDouble()).isEqualTo(44.0);
        assertThat(r.get("safetyStock").asDouble()).isEqualTo(12.5);
        assertThat(r.get("basis").asText()).isEqualTo("samples");
        assertThat(s.get("accuracy")).hasSize(2);
        assertThat(s.get("accuracy").get(1).get("firstDay").asText()).isEqualTo("2026-01-05");
        assertThat(s.get("accuracy").get(1).get("daysCompared").asInt()).isEqualTo(28);
        assertThat(s.get("accuracy").get(1).get("mase").asDouble()).isEqualTo(1.25);
        assertThat(s.get("accuracy").get(1).get("bias").asDouble()).isEqualTo(2.0);
    }

    @Test
    void historyIsNinetyDaysByDefaultAndAtMost364() {
        knownSeries();

        JsonNode s = get(handler, "/forecasts/" + A.id(), null).expect(200);
        // 2026-03-02 - 90 days: 28 days back is 02-02, 59 is 01-02, 90 is 2025-12-02
        assertThat(s.get("history").get("firstDay").asText()).isEqualTo("2025-12-02");
        assertThat(s.get("history").get("unitsPerDay")).hasSize(90);
        assertThat(model.lastTo).isEqualTo(LocalDate.parse("2026-03-01"));

        get(handler, "/forecasts/" + A.id(), "days=364").expect(200);
        assertThat(model.lastFrom).isEqualTo(LocalDate.parse("2025-03-03")); // 52 weeks before 2026-03-02
        assertProblem(get(handler, "/forecasts/" + A.id(), "days=365"), 400, "invalid-parameter", "days");
        assertProblem(get(handler, "/forecasts/" + A.id(), "days=0"), 400, "invalid-parameter", "days");
        assertProblem(get(handler, "/forecasts/" + A.id(), "days=a"), 400, "invalid-parameter", "days");
    }

    @Test
    void anEncodedAtSignNamesTheSameSeries() {
        knownSeries();
        JsonNode s = get(handler, "/forecasts/10614141000019%400614141000005", null).expect(200);
        assertThat(s.get("seriesId").asText()).isEqualTo("10614141000019@0614141000005");
    }

    @Test
    void aListedSeriesWithoutForecastHasHistoryOnly() {
        knownSeries();
        JsonNode s = get(handler, "/forecasts/" + C.id(), "days=2").expect(200);
        assertThat(s.has("forecast")).isFalse();
        assertThat(s.get("accuracy")).isEmpty();
        assertThat(s.get("history").get("unitsPerDay")).extracting(JsonNode::asDouble).containsExactly(0.0, 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "10614141000019-0614141000005", "1061414100001@0614141000005",
            "10614141000019@061414100000", "10614141000019@06141410000051", "1061414100001x@0614141000005",
            "10614141000019%2", "%40"})
    void aMalformedSeriesIdIsABadRequest(String id) {
        knownSeries();
        assertProblem(get(handler, "/forecasts/" + id, null), 400, "invalid-parameter", "seriesId");
        assertProblem(post("/forecasts/" + id, WRITER), 400, "invalid-parameter", "seriesId");
    }

    @Test
    void anUnknownSeriesIsNotFound() {
        knownSeries();
        assertProblem(get(handler, "/forecasts/" + UNKNOWN.id(), null), 404, "not-found", null);
        assertProblem(post("/forecasts/" + UNKNOWN.id(), WRITER), 404, "not-found", null);
        assertThat(forecaster.lastKey).as("nothing forecast for an unknown series").isNull();
    }

    // ---- POST /forecasts/{seriesId}

    @Test
    void forecastingNowAsksForTodayAndAnswers201WithTheStoredForecast() {
        knownSeries();
        forecaster.next = () -> Optional.of(forecast(C, LocalDate.parse("2026-03-02")));

        Reply r = post("/forecasts/" + C.id(), WRITER);

        JsonNode n = r.expect(201);
        assertThat(forecaster.lastKey).isEqualTo(C);
        assertThat(forecaster.lastAsOf).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(n.get("seriesId").asText()).isEqualTo("10614141000019@0614141000012");
        assertThat(n.get("locationGln").asText()).isEqualTo(STORE);
        assertThat(n.get("forecast").get("firstDay").asText()).isEqualTo("2026-03-02");
        assertThat(n.get("forecast").get("reorder").get("reorderPoint").asDouble()).isEqualTo(44.0);
        assertThat(n.get("forecast").get("quantiles").get("0.5")).extracting(JsonNode::asDouble)
                .containsExactly(10.5, 10.5, 10.5);
    }

    @Test
    void forecastingAgainTheSameDayAnswers200() {
        knownSeries(); // A's latest starts 2026-03-02
        forecaster.next = () -> Optional.of(forecast(A, LocalDate.parse("2026-03-02")));
        assertThat(post("/forecasts/" + A.id(), WRITER).status()).isEqualTo(200);

        forecaster.next = () -> Optional.of(forecast(A, LocalDate.parse("2026-03-03")));
        assertThat(post("/forecasts/" + A.id(), WRITER).status()).as("a new first day").isEqualTo(201);
    }

    @Test
    void tooLittleHistoryIs422() {
        knownSeries();
        forecaster.next = Optional::empty;
        Reply r = post("/forecasts/" + C.id(), WRITER);
        assertProblem(r, 422, "too-little-history", null);
        assertThat(r.body().get("detail").asText()).isEqualTo("series 10614141000019@0614141000012 has too little "
                + "demand history before 2026-03-02 to forecast; nothing was stored");
    }

    @Test
    void aRejectedSeriesIs422() {
        knownSeries();
        forecaster.next = () -> {
            throw new DemandForecaster.ForecastRejected("target is all NaN");
        };
        Reply r = post("/forecasts/" + A.id(), WRITER);
        assertProblem(r, 422, "forecast-rejected", null);
        assertThat(r.body().get("detail").asText()).endsWith(": target is all NaN");
    }

    @Test
    void anUnavailableForecasterIs503WithRetryAfter() {
        knownSeries();
        forecaster.next = () -> {
            throw new DemandForecaster.ForecasterUnavailable("throttled", null);
        };
        Reply r = post("/forecasts/" + A.id(), WRITER);
        assertProblem(r, 503, "forecaster-unavailable", null);
        assertThat(r.header("Retry-After")).isEqualTo("30");
    }

    @Test
    void aStoreThatDoesNotAnswerIs503() {
        knownSeries();
        model.failure = new TransientDependencyException("forecasts table", "throttled", null);
        Reply r = get(handler, "/forecasts", null);
        assertProblem(r, 503, "dependency-unavailable", null);
        assertThat(r.header("Retry-After")).isEqualTo("1");
    }

    // ---- scopes, methods, routes

    @Test
    void forecastingNeedsTheWriteScopeAndReadingATokenWithClaims() {
        knownSeries();
        forecaster.next = () -> Optional.of(forecast(A, LocalDate.parse("2026-03-02")));
        assertProblem(post("/forecasts/" + A.id(), ContractCheckedCalls.READER), 403, "insufficient-scope", null);
        assertThat(forecaster.lastKey).isNull();
        assertProblem(call(handler, "GET", "/forecasts", null, null, null), 401, "unauthorized", null);
        assertProblem(call(handler, "POST", "/forecasts/" + A.id(), null, null, null), 401, "unauthorized", null);
    }

    @Test
    void otherMethodsAndPathsAreRefused() {
        Reply put = call(handler, "PUT", "/forecasts/" + A.id(), null, WRITER, null);
        assertProblem(put, 405, "method-not-allowed", null);
        assertThat(put.header("Allow")).isEqualTo("GET, POST");
        Reply postList = call(handler, "POST", "/forecasts", null, WRITER, null);
        assertProblem(postList, 405, "method-not-allowed", null);
        assertThat(postList.header("Allow")).isEqualTo("GET");
        assertProblem(get(handler, "/forecasts/" + A.id() + "/samples", null), 404, "no-route", null);
    }

    @Test
    void everyForecastOperationIsServed() {
        knownSeries();
        forecaster.next = () -> Optional.of(forecast(A, LocalDate.parse("2026-03-03")));
        List<String> served = new ArrayList<>();
        for (String op : OpsApiContract.operations()) {
            String[] mp = op.split(" ");
            if (mp[1].startsWith("/forecasts")) {
                Reply r = call(handler, mp[0], mp[1].replace("{seriesId}", A.id()), null, WRITER, null);
                assertThat(r.status()).as(op).isEqualTo(mp[0].equals("POST") ? 201 : 200);
                served.add(op);
            }
        }
        assertThat(served).containsExactlyInAnyOrder("GET /forecasts", "GET /forecasts/{seriesId}",
                "POST /forecasts/{seriesId}");
    }

    // ---- off

    @Test
    void aStageThatDoesNotForecastSaysSoAfterCheckingTheRequest() {
        OpsApiHandler off = new OpsApiHandler(new OpsApi(List.of(ForecastRoutes.off())));
        assertProblem(get(off, "/forecasts", null), 404, "forecasting-off", null);
        assertProblem(get(off, "/forecasts/" + A.id(), null), 404, "forecasting-off", null);
        assertProblem(call(off, "POST", "/forecasts/" + A.id(), null, WRITER, null), 404, "forecasting-off", null);
        assertProblem(get(off, "/forecasts/nope", null), 400, "invalid-parameter", "seriesId");
        assertProblem(call(off, "POST", "/forecasts/" + A.id(), null, ContractCheckedCalls.READER, null), 403,
                "insufficient-scope", null);
    }
}
