package io.waybill.opsapi;

import io.waybill.domain.forecast.ForecastReadModel;
import io.waybill.domain.forecast.OnDemandForecast;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.waybill.opsapi.ContractCheckedCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The forecast block of the environment: off unless the forecast table is set, and then all of it or a start failure. */
class ForecastSettingsTest {
    private static final Map<String, String> ALL = Map.of("WAYBILL_FORECAST_TABLE", "forecasts",
            "WAYBILL_DEMAND_TABLE", "demand", "WAYBILL_FORECAST_ENDPOINT", "waybill-demand");

    @Test
    void withoutAForecastTableForecastingIsOff() {
        ForecastSettings s = ForecastSettings.fromEnvironment(Map.of("WAYBILL_DEMAND_TABLE", "demand",
                "WAYBILL_FORECAST_TABLE", " "));
        assertThat(s.configured()).isFalse();
        assertThat(s.routes(() -> {
            throw new AssertionError("not built when off");
        }, () -> {
            throw new AssertionError("not built when off");
        })).extracting(r -> r.root()).isEqualTo("forecasts");
    }

    @Test
    void aForecastTableWithoutItsEndpointIsAStartFailure() {
        assertThatThrownBy(() -> ForecastSettings.fromEnvironment(Map.of("WAYBILL_FORECAST_TABLE", "forecasts",
                "WAYBILL_DEMAND_TABLE", "demand"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAYBILL_FORECAST_ENDPOINT");
    }

    @Test
    void configuredSettingsCarryTheirNamesAndBuildTheRoutesFromTheAdapters() {
        ForecastSettings s = ForecastSettings.fromEnvironment(ALL);
        assertThat(s).isEqualTo(new ForecastSettings("forecasts", "demand", "waybill-demand"));
        ForecastReadModel empty = new ForecastRoutesTest.Forecasts();
        OnDemandForecast never = (key, asOf) -> Optional.empty();
        OpsApiHandler on = new OpsApiHandler(new OpsApi(List.of(s.routes(() -> empty, () -> never))));
        assertThat(get(on, "/forecasts", null).expect(200).get("items")).isEmpty();
        OpsApiHandler unwired = new OpsApiHandler(new OpsApi(List.of(s.routes(null, null))));
        assertThat(get(unwired, "/forecasts", null).expect(404).get("type").asText())
                .isEqualTo("https://waybill.io/problems/forecasting-off");
    }
}
