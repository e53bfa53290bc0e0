package io.waybill.opsapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.ForecastAccuracy;
import io.waybill.domain.forecast.ForecastReadModel;
import io.waybill.domain.forecast.OnDemandForecast;
import io.waybill.domain.forecast.ReorderRecommendation;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The demand forecasts (issue 15): {@code GET /forecasts} (series with their latest forecast's summary),
 * {@code GET /forecasts/{seriesId}} (history, latest forecast with its quantiles and reorder recommendation, accuracy)
 * and {@code POST /forecasts/{seriesId}} (forecast now, the scheduled run's code path through
 * {@link OnDemandForecast}). A series id is {@code gtin@gln} ({@link SeriesKey#id()}); its {@code @} may come
 * URL-encoded ({@code %40}).
 *
 * <ul>
 *   <li>404 {@code not-found}: no such series (no forecast and not listed by the read model);
 *       404 {@code forecasting-off}: this stage does not forecast ({@link #off()})</li>
 *   <li>422 {@code too-little-history}: the series cannot be forecast yet; 422 {@code forecast-rejected}: the
 *       endpoint refused the series ({@link DemandForecaster.ForecastRejected})</li>
 *   <li>503 with {@code Retry-After}: the endpoint did not answer ({@link DemandForecaster.ForecasterUnavailable})</li>
 * </ul>
 */
public final class ForecastRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    public static final String ROOT = "forecasts";
    /** Days of history {@code GET /forecasts/{seriesId}} returns when the caller names no {@code days}. */
    public static final int DEFAULT_HISTORY_DAYS = 90;
    /** The most days of history one request reads (52 weeks). */
    public static final int MAX_HISTORY_DAYS = 364;
    /** Scored forecasts listed with a series, latest first. */
    public static final int ACCURACY_LISTED = 10;
    /**
     * Seconds a caller should wait after a 503 from the forecaster: a serverless endpoint that scaled to zero takes
     * tens of seconds to start.
     */
    public static final int FORECASTER_RETRY_AFTER_SECONDS = 30;
    /** {@code gtin@gln}: 14 + 1 + 13 characters. */
    static final int SERIES_ID_LENGTH = 28;
    private static final int MAX_TOKEN = 64;
    private static final Logger LOG = LoggerFactory.getLogger(ForecastRoutes.class);

    private final ForecastReadModel forecasts;
    private final OnDemandForecast onDemand;
    private final Clock clock;

    /** Days in UTC from the system clock. */
    public ForecastRoutes(ForecastReadModel forecasts, OnDemandForecast onDemand) {
        this(forecasts, onDemand, Clock.systemUTC());
    }

    /**
     * @param forecasts the stored series, histories, forecasts and their accuracy; null only for {@link #off()}
     * @param onDemand  forecasts one series now; null only for {@link #off()}
     * @param clock     today (UTC) is the {@code asOf} of a forecast made now and the end (exclusive) of the history
     */
    public ForecastRoutes(ForecastReadModel forecasts, OnDemandForecast onDemand, Clock clock) {
        this.forecasts = forecasts;
        this.onDemand = onDemand;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (forecasts != null || onDemand != null) {
            Objects.requireNonNull(forecasts, "forecasts");
            Objects.requireNonNull(onDemand, "onDemand");
        }
    }

    /** The routes of a stage that does not forecast: every request is a 404 {@code forecasting-off}. */
    public static ForecastRoutes off() {
        return new ForecastRoutes(null, null, Clock.systemUTC());
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() == 1) {
            call.allow("GET", Caller.READ);
            return list(call);
        }
        if (call.size() != 2) {
            return null;
        }
        String method = call.request().method();
        if (!method.equals("GET") && !method.equals("POST")) {
            throw Problem.methodNotAllowed(method, call.request().rawPath(), "GET, POST");
        }
        if (method.equals("POST")) {
            call.allow("POST", Caller.READ, Caller.WRITE);
            SeriesKey key = seriesId(call);
            requireOn();
            return forecastNow(call, key);
        }
        call.allow("GET", Caller.READ);
        SeriesKey key = seriesId(call);
        Integer d = call.query().integer("days", 1, MAX_HISTORY_DAYS);
        int days = d == null ? DEFAULT_HISTORY_DAYS : d;
        requireOn();
        return detail(call, key, days);
    }

    // ---- GET /forecasts

    private ApiResponse list(Call call) {
        Query q = call.query();
        String location = q.text("location", 13);
        if (location != null && !location.matches("\\d{13}")) {
            throw Problem.invalidParam("location", "a GLN: 13 digits");
        }
        String after = q.text("after", MAX_TOKEN);
        String token = q.text("pageToken", MAX_TOKEN);
        if (after != null && token != null) {
            throw Problem.invalidParam("after", "give after or pageToken, not both");
        }
        String from = token != null ? token : after;
        if (from != null) {
            try {
                SeriesKey.parse(from);
            } catch (IllegalArgumentException e) {
                throw Problem.invalidParam(token != null ? "pageToken" : "after", "a series id gtin@gln");
            }
        }
        int limit = q.limit();
        requireOn();
        List<SeriesKey> read = forecasts.series(location, from, limit + 1);
        List<SeriesKey> items = read.size() > limit ? read.subList(0, limit) : read;
        String next = read.size() > limit ? items.get(items.size() - 1).id() : null;
        return call.page(new Page<>(items, next), this::summaryJson);
    }

    private ObjectNode summaryJson(SeriesKey key) {
        ObjectNode n = keyJson(key);
        forecasts.latest(key).ifPresent(f -> {
            ObjectNode l = n.putObject("latest");
            l.put("firstDay", f.firstDay().toString());
            l.put("horizonDays", f.horizonDays());
            Json.instant(l, "issuedAt", f.issuedAt());
            Json.text(l, "method", f.method());
            l.put("modelName", f.modelName());
            l.put("modelVersion", f.modelVersion());
            ReorderRecommendation r = f.reorder();
            if (r != null) {
                number(l, "serviceLevel", r.serviceLevel());
                number(l, "reorderPoint", r.reorderPoint());
                number(l, "safetyStock", r.safetyStock());
            }
        });
        List<ForecastAccuracy> scored = forecasts.accuracy(key, 1);
        if (!scored.isEmpty()) {
            n.set("lastAccuracy", accuracyJson(scored.get(0)));
        }
        return n;
    }

    // ---- GET /forecasts/{seriesId}

    private ApiResponse detail(Call call, SeriesKey key, int days) {
        Optional<StoredForecast> latest = forecasts.latest(key);
        if (latest.isEmpty() && !listed(key)) {
            throw unknown(key);
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        DemandHistory history = forecasts.history(key, today.minusDays(days), today.minusDays(1));
        ObjectNode n = keyJson(key);
        ObjectNode h = n.putObject("history");
        h.put("firstDay", history.firstDay().toString());
        numbers(h.putArray("unitsPerDay"), history.unitsPerDay());
        latest.ifPresent(f -> n.set("forecast", forecastJson(f)));
        ArrayNode a = n.putArray("accuracy");
        forecasts.accuracy(key, ACCURACY_LISTED).forEach(x -> a.add(accuracyJson(x)));
        return call.ok(n);
    }

    // ---- POST /forecasts/{seriesId}

    private ApiResponse forecastNow(Call call, SeriesKey key) {
        Optional<StoredForecast> before = forecasts.latest(key);
        if (before.isEmpty() && !listed(key)) {
            throw unknown(key);
        }
        LocalDate asOf = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Optional<StoredForecast> made;
        try {
            made = onDemand.forecastNow(key, asOf);
        } catch (DemandForecaster.ForecasterUnavailable e) {
            LOG.warn("forecaster did not answer for {}: {}", key.id(), e.getMessage());
            throw new Problem(503, "forecaster-unavailable", "Forecaster unavailable", "the forecasting endpoint "
                    + "did not answer: nothing was stored; retry later", null,
                    Map.of("Retry-After", String.valueOf(FORECASTER_RETRY_AFTER_SECONDS)));
        } catch (DemandForecaster.ForecastRejected e) {
            throw new Problem(422, "forecast-rejected", "Forecast rejected", "the forecasting endpoint refused "
                    + "series " + key.id() + ": " + e.getMessage(), null, null);
        }
        if (made.isEmpty()) {
            throw new Problem(422, "too-little-history", "Too little history", "series " + key.id()
                    + " has too little demand history before " + asOf + " to forecast; nothing was stored", null,
                    null);
        }
        StoredForecast f = made.get();
        boolean replaced = before.isPresent() && before.get().firstDay().equals(f.firstDay());
        ObjectNode n = keyJson(key);
        n.set("forecast", forecastJson(f));
        LOG.info("forecast {} from {} ({} days, {})", key.id(), f.firstDay(), f.horizonDays(),
                replaced ? "replaced" : "new");
        return ApiResponse.json(replaced ? 200 : 201, Json.write(n), Map.of());
    }

    // ---- shared

    private void requireOn() {
        if (forecasts == null) {
            throw new Problem(404, "forecasting-off", "Forecasting off", "demand forecasting is off in this stage: "
                    + "no series has a forecast", null, null);
        }
    }

    private static SeriesKey seriesId(Call call) {
        String id = call.decoded(1, "seriesId");
        if (id.length() != SERIES_ID_LENGTH) {
            throw Problem.invalidParam("seriesId", "gtin@gln: a GTIN-14, '@' (or %40), a GLN of 13 digits");
        }
        try {
            return SeriesKey.parse(id);
        } catch (IllegalArgumentException e) {
            throw Problem.invalidParam("seriesId", "gtin@gln: a GTIN-14, '@' (or %40), a GLN of 13 digits");
        }
    }

    /**
     * Whether the read model lists the series: the first series at its location after {@code gtin@} (every id with
     * this GTIN sorts after it, and at one location there is one).
     */
    private boolean listed(SeriesKey key) {
        List<SeriesKey> first = forecasts.series(key.locationGln(), key.gtin() + "@", 1);
        return !first.isEmpty() && first.get(0).equals(key);
    }

    private static Problem unknown(SeriesKey key) {
        return Problem.notFound("no series " + key.id());
    }

    private static ObjectNode keyJson(SeriesKey key) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("seriesId", key.id());
        n.put("gtin", key.gtin());
        n.put("locationGln", key.locationGln());
        return n;
    }

    static ObjectNode forecastJson(StoredForecast f) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("firstDay", f.firstDay().toString());
        n.put("horizonDays", f.horizonDays());
        Json.instant(n, "issuedAt", f.issuedAt());
        n.put("modelName", f.modelName());
        n.put("modelVersion", f.modelVersion());
        Json.text(n, "method", f.method());
        n.put("historyDays", f.historyDays());
        number(n, "maseScale", f.maseScale());
        numbers(n.putArray("mean"), f.mean());
        ObjectNode q = n.putObject("quantiles");
        f.quantiles().forEach((level, values) -> numbers(q.putArray(level), values));
        ReorderRecommendation r = f.reorder();
        if (r != null) {
            ObjectNode o = n.putObject("reorder");
            number(o, "serviceLevel", r.serviceLevel());
            o.put("leadTimeDays", r.leadTimeDays());
            number(o, "leadTimeDemandMean", r.leadTimeDemandMean());
            number(o, "reorderPoint", r.reorderPoint());
            number(o, "safetyStock", r.safetyStock());
            Json.text(o, "basis", r.basis());
        }
        return n;
    }

    private static ObjectNode accuracyJson(ForecastAccuracy a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("firstDay", a.firstDay().toString());
        n.put("daysCompared", a.daysCompared());
        number(n, "mase", a.mase());
        number(n, "bias", a.bias());
        return n;
    }

    /** A finite number; left out when NaN or infinite (JSON has neither). */
    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, v);
        }
    }

    /** Each value, null where it is not finite. */
    private static void numbers(ArrayNode a, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
    }
}
