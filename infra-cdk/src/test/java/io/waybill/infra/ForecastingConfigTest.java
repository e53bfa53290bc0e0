package io.waybill.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stage's {@code forecasting} section: its defaults (written out from the README's table), the limits SageMaker
 * serverless inference sets (1024 to 6144 MB in 1 GB steps, 1 to 200 concurrent invocations), and a clear error for
 * each value out of them, read through {@link StageConfig#fromContext} as synth reads it.
 */
class ForecastingConfigTest {

    private static StageConfig config(Object section) {
        App app = new App(AppProps.builder()
                .context(new HashMap<>(Map.of(ForecastingConfig.CTX_FORECASTING, section))).build());
        return StageConfig.fromContext(app.getNode());
    }

    private static void refused(Object section, String... messageParts) {
        var thrown = assertThatThrownBy(() -> config(section)).isInstanceOf(StageConfigException.class);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
    }

    @Test
    void noSectionMeansNoForecastingAndAnEmptySectionMeansEveryDefault() {
        assertThat(StageConfig.fromContext(new App(AppProps.builder().build()).getNode()).forecasting().enabled())
                .isFalse();
        assertThat(config("").forecasting().enabled()).isFalse();
        ForecastingConfig defaults = config(Map.of()).forecasting();
        assertThat(defaults).isEqualTo(config("{}").forecasting());
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.serverless()).isTrue();
        assertThat(defaults.memoryMb()).isEqualTo(2048);
        assertThat(defaults.maxConcurrency()).isEqualTo(5);
        assertThat(defaults.provisionedConcurrency()).isZero();
        assertThat(defaults.instanceType()).isNull();
        assertThat(defaults.schedule()).isEqualTo("cron(0 2 * * ? *)");
        assertThat(defaults.serviceLevel()).isEqualTo(0.95);
        assertThat(defaults.leadTimeDays()).isEqualTo(7);
        assertThat(defaults.horizonDays()).isEqualTo(28);
        assertThat(defaults.historyDays()).isEqualTo(364); // the function's own default (ForecastSettings)
        assertThat(defaults.minHistoryDays()).isEqualTo(28);
        assertThat(defaults.quantiles()).containsExactly(0.1, 0.5, 0.9);
        assertThat(defaults.quantilesText()).isEqualTo("0.1,0.5,0.9");
        assertThat(defaults.samples()).isEqualTo(200);
    }

    @Test
    void theBriefsExampleSectionIsReadAsWritten() {
        ForecastingConfig c = config("{\"memoryMb\":2048,\"maxConcurrency\":5,\"provisionedConcurrency\":0,"
                + "\"schedule\":\"cron(0 2 * * ? *)\",\"serviceLevel\":0.95,\"leadTimeDays\":7,\"horizonDays\":28,"
                + "\"serverless\":true}").forecasting();
        assertThat(c).isEqualTo(config(Map.of()).forecasting());
        ForecastingConfig instances = config(Map.of("serverless", false)).forecasting();
        assertThat(instances.instanceType()).isEqualTo("ml.m5.large");
        assertThat(instances.instanceCount()).isEqualTo(1);
        assertThat(config(Map.of("quantiles", "0.05, 0.5,0.975")).forecasting().quantilesText())
                .isEqualTo("0.05,0.5,0.975");
    }

    @Test
    void serverlessMemoryMustBeOneOfSageMakersSizes() {
        for (int ok : List.of(1024, 2048, 3072, 4096, 5120, 6144)) {
            assertThat(config(Map.of("memoryMb", ok)).forecasting().memoryMb()).isEqualTo(ok);
        }
        for (int bad : List.of(512, 1000, 1536, 7168, 0)) {
            refused(Map.of("memoryMb", bad), "forecasting.memoryMb", "1024 to 6144", Integer.toString(bad));
        }
    }

    @Test
    void concurrencyMustBeWithinSageMakersLimits() {
        assertThat(config(Map.of("maxConcurrency", 200)).forecasting().maxConcurrency()).isEqualTo(200);
        refused(Map.of("maxConcurrency", 0), "forecasting.maxConcurrency", "1 to 200");
        refused(Map.of("maxConcurrency", 201), "forecasting.maxConcurrency", "201");
        refused(Map.of("maxConcurrency", 4, "provisionedConcurrency", 5), "forecasting.provisionedConcurrency",
                "maxConcurrency (4)");
        refused(Map.of("provisionedConcurrency", -1), "forecasting.provisionedConcurrency");
    }

    @Test
    void serverlessAndInstanceKeysDoNotMix() {
        refused(Map.of("instanceType", "ml.m5.large"), "instanceType", "serverless: false");
        refused(Map.of("serverless", false, "memoryMb", 2048), "memoryMb", "serverless: true");
        refused(Map.of("serverless", false, "instanceType", "m5.large"), "forecasting.instanceType", "m5.large");
        refused(Map.of("serverless", false, "instanceCount", 0), "forecasting.instanceCount");
        refused(Map.of("serverless", "maybe"), "forecasting.serverless", "true or false");
    }

    @Test
    void scheduleMustBeAnEventBridgeExpression() {
        assertThat(config(Map.of("schedule", "rate(12 hours)")).forecasting().schedule()).isEqualTo("rate(12 hours)");
        for (String bad : List.of("0 2 * * *", "cron(0 2 * * *)", "daily", "rate(0 days)")) {
            refused(Map.of("schedule", bad), "forecasting.schedule", bad);
        }
    }

    @Test
    void forecastSettingsAreRefusedOutOfRange() {
        refused(Map.of("serviceLevel", 1.0), "forecasting.serviceLevel");
        refused(Map.of("serviceLevel", 0.4), "forecasting.serviceLevel");
        refused(Map.of("serviceLevel", "high"), "forecasting.serviceLevel", "number");
        refused(Map.of("horizonDays", 0), "forecasting.horizonDays");
        refused(Map.of("horizonDays", 367), "forecasting.horizonDays");
        refused(Map.of("horizonDays", 14, "leadTimeDays", 21), "forecasting.leadTimeDays", "horizonDays (14)");
        refused(Map.of("historyDays", 60, "minHistoryDays", 90), "forecasting.minHistoryDays", "historyDays (60)");
        refused(Map.of("samples", 0), "forecasting.samples");
        refused(Map.of("samples", 1001), "forecasting.samples");
        refused(Map.of("leadTimeDays", "7d"), "forecasting.leadTimeDays", "whole number");
    }

    @Test
    void quantilesMustBeIncreasingAndStrictlyBetweenZeroAndOne() {
        refused(Map.of("quantiles", List.of(0.5, 0.1)), "forecasting.quantiles", "increasing");
        refused(Map.of("quantiles", "0.1,0.1"), "forecasting.quantiles", "increasing");
        refused(Map.of("quantiles", List.of(0.0, 0.5)), "forecasting.quantiles", "between 0 and 1");
        refused(Map.of("quantiles", "0.5,1"), "forecasting.quantiles", "between 0 and 1");
        refused(Map.of("quantiles", ""), "forecasting.quantiles", "at least one");
        refused(Map.of("quantiles", "p10,p90"), "forecasting.quantiles", "number");
    }

    @Test
    void unknownKeysAndNonObjectsAreRefused() {
        refused(Map.of("memoryMB", 2048), "memoryMB", "known keys");
        refused("serverless=true", "JSON object");
        // the section is a known context key, not an unknown one
        assertThat(StageConfig.CONTEXT_SECTIONS).contains("forecasting");
    }
}
