package io.waybill.forecast;

import io.waybill.domain.forecast.DemandEvents;
import io.waybill.domain.forecast.DemandForecast;
import io.waybill.domain.forecast.DemandForecaster;
import io.waybill.domain.forecast.DemandHistory;
import io.waybill.domain.forecast.ForecastJournal;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.domain.forecast.ForecastSettings;
import io.waybill.domain.forecast.InMemoryDemandLedger;
import io.waybill.domain.forecast.InMemoryForecastStore;
import io.waybill.domain.forecast.SeriesKey;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daily invocation fails when the endpoint was unavailable (so Lambda retries it) and succeeds once it answers. */
class ForecastScheduleHandlerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-01T02:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate TODAY = LocalDate.of(2026, 4, 1);
    private static final SeriesKey KEY = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_A);

    /** Down until told otherwise; then a flat 2 a day with every quantile at 2. */
    private static final class Endpoint implements DemandForecaster {
        boolean down = true;
        int calls;

        @Override
        public List<DemandForecast> forecast(List<DemandHistory> histories, ForecastRequest request) {
            calls++;
            if (down) {
                throw new ForecasterUnavailable("ThrottlingException", null);
            }
            List<DemandForecast> out = new ArrayList<>();
            for (DemandHistory h : histories) {
                double[] flat = new double[request.horizonDays()];
                Arrays.fill(flat, 2);
                SortedMap<Double, double[]> q = new TreeMap<>();
                request.quantileLevels().forEach(level -> q.put(level, flat.clone()));
                out.add(new DemandForecast(h.key(), h.nextDay(), flat, q, new double[0][], "ETS(A,N,N)"));
            }
            return out;
        }

        @Override
        public ModelIdentity model() {
            return new ModelIdentity("waybill-model-server", "test");
        }
    }

    @Test
    void anUnavailableEndpointFailsTheInvocationAndTheRetryStoresTheDaysForecast() {
        InMemoryDemandLedger ledger = new InMemoryDemandLedger();
        for (int d = 1; d <= 40; d++) {
            ledger.addToLine(KEY, TODAY.minusDays(d), "s" + d, Set.of("u" + d));
        }
        InMemoryForecastStore store = new InMemoryForecastStore();
        Endpoint endpoint = new Endpoint();
        ForecastRun run = new ForecastRun(ledger, store, endpoint, new ForecastSettings(28, 0.95, 7, 364, 28,
                List.of(0.1, 0.5, 0.9), 0, 25), CLOCK, ForecastJournal.NONE);
        ForecastScheduleHandler handler = new ForecastScheduleHandler(run, ForecastTelemetry.logsOnly(), CLOCK);

        assertThatThrownBy(() -> handler.handleRequest(null, null))
                .isInstanceOf(ForecastScheduleHandler.ForecastEndpointUnavailable.class)
                .hasMessageContaining("0 of 1 series stored");
        assertThat(store.forecasts).isEmpty();

        endpoint.down = false; // Lambda's retry, a minute later
        handler.handleRequest(null, null);

        assertThat(store.forecasts.values()).singleElement().satisfies(f -> {
            assertThat(f.key()).isEqualTo(KEY);
            assertThat(f.firstDay()).isEqualTo(TODAY);
            assertThat(f.mean()).hasSize(28).containsOnly(2.0);
        });
        assertThat(endpoint.calls).isEqualTo(2);
    }
}
