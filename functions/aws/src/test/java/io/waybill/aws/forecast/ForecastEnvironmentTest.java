package io.waybill.aws.forecast;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForecastEnvironmentTest {
    private static final Map<String, String> REQUIRED = Map.of("WAYBILL_DEMAND_TABLE", "d",
            "WAYBILL_FORECAST_TABLE", "f", "WAYBILL_FORECAST_ENDPOINT", "waybill-demand");

    @Test
    void defaultsAreTheDocumentedOnes() {
        ForecastEnvironment s = ForecastEnvironment.fromEnvironment(REQUIRED);
        assertThat(s.run().horizonDays()).isEqualTo(28);
        assertThat(s.run().serviceLevel()).isEqualTo(0.95);
        assertThat(s.run().leadTimeDays()).isEqualTo(7);
        assertThat(s.run().historyDays()).isEqualTo(364);
        assertThat(s.run().minHistoryDays()).isEqualTo(28);
        assertThat(s.run().quantiles()).containsExactly(0.1, 0.5, 0.9);
        assertThat(s.run().samples()).isEqualTo(200);
        assertThat(s.run().requestedQuantiles()).containsExactly(0.1, 0.5, 0.9, 0.95);
    }

    @Test
    void variablesOverrideAndBadValuesNameTheVariable() {
        Map<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.put("WAYBILL_FORECAST_QUANTILES", "0.05, 0.5,0.975");
        env.put("WAYBILL_FORECAST_HORIZON_DAYS", "14");
        env.put("WAYBILL_FORECAST_MODEL_VERSION", "3");
        ForecastEnvironment s = ForecastEnvironment.fromEnvironment(env);
        assertThat(s.run().quantiles()).isEqualTo(List.of(0.05, 0.5, 0.975));
        assertThat(s.run().horizonDays()).isEqualTo(14);
        assertThat(s.modelVersion()).isEqualTo("3");
        env.put("WAYBILL_FORECAST_SAMPLES", "many");
        assertThatThrownBy(() -> ForecastEnvironment.fromEnvironment(env)).hasMessageContaining(
                "WAYBILL_FORECAST_SAMPLES");
        assertThatThrownBy(() -> ForecastEnvironment.fromEnvironment(Map.of())).hasMessageContaining(
                "WAYBILL_DEMAND_TABLE");
        env.put("WAYBILL_FORECAST_SAMPLES", "10");
        env.put("WAYBILL_FORECAST_LEAD_TIME_DAYS", "30");
        assertThatThrownBy(() -> ForecastEnvironment.fromEnvironment(env)).hasMessageContaining("lead time");
    }
}
