package io.waybill.kpi;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.aws.eventstore.EventItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KpiSettingsTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("WAYBILL_KPI_AGGREGATES_TABLE", "waybill-prod-kpi-aggregates");
        env.put("WAYBILL_INCIDENTS_TABLE", "waybill-prod-incidents");
        env.put("WAYBILL_EXPOSURE_TABLE", "waybill-prod-exposure");
        return env;
    }

    @Test
    void tablesComeFromTheEnvironmentAndTheProductClassDefaultsToChilledBiologics() {
        KpiSettings s = KpiSettings.fromEnvironment(env());

        assertThat(s.aggregatesTable()).isEqualTo("waybill-prod-kpi-aggregates");
        assertThat(s.incidentsTable()).isEqualTo("waybill-prod-incidents");
        assertThat(s.exposureTable()).isEqualTo("waybill-prod-exposure");
        assertThat(s.productClass()).isEqualTo(ProductClass.CHILLED_BIOLOGICS_2_8)
                .isEqualTo(ColdChainConfig.DEFAULT_PRODUCT_CLASS);
        assertThat(s.productClass().name()).isEqualTo("chilled-biologics-2-8");
        assertThat(s.region()).isNull();
        assertThat(s.endpointOverride()).isNull();
    }

    @Test
    void productClassRegionAndEndpointCanBeSet() {
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASS", "FROZEN");
        env.put("AWS_REGION", "eu-central-1");
        env.put("AWS_ENDPOINT_URL", "http://localhost:4566");

        KpiSettings s = KpiSettings.fromEnvironment(env);

        assertThat(s.productClass()).isEqualTo(ProductClass.FROZEN);
        assertThat(s.region()).isEqualTo("eu-central-1");
        assertThat(s.endpointOverride()).isEqualTo(URI.create("http://localhost:4566"));
    }

    @Test
    void blankOptionalVariablesMeanTheDefault() {
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASS", " ");
        env.put("AWS_REGION", "");
        env.put("AWS_ENDPOINT_URL", " ");

        KpiSettings s = KpiSettings.fromEnvironment(env);

        assertThat(s.productClass()).isEqualTo(ColdChainConfig.DEFAULT_PRODUCT_CLASS);
        assertThat(s.region()).isNull();
        assertThat(s.endpointOverride()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"WAYBILL_KPI_AGGREGATES_TABLE", "WAYBILL_INCIDENTS_TABLE", "WAYBILL_EXPOSURE_TABLE"})
    void aMissingTableIsNamed(String variable) {
        Map<String, String> env = env();
        env.remove(variable);
        assertThatThrownBy(() -> KpiSettings.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(variable + " is not set");
        env.put(variable, "  ");
        assertThatThrownBy(() -> KpiSettings.fromEnvironment(env)).hasMessageContaining(variable);
    }

    @Test
    void anUnknownProductClassNamesThePresets() {
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASS", "bananas");
        assertThatThrownBy(() -> KpiSettings.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAYBILL_PRODUCT_CLASS 'bananas'")
                .hasMessageContaining("chilled-biologics-2-8");
    }

    @Test
    void aClassOfTheStagesCatalogIsMeasuredWithTheCatalogsBand() {
        // A class the presets do not hold, as the cold-chain functions get it (WAYBILL_PRODUCT_CLASSES): the KPI
        // publisher must start and measure with its band (-80 .. -60 °C, 15 min), not fail or fall back to 2..8 °C.
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASSES", "{\"productClasses\":[{\"name\":\"ultra-frozen\",\"lowCelsius\":-80,"
                + "\"highCelsius\":-60,\"torBudget\":\"PT15M\"}]}");
        env.put("WAYBILL_PRODUCT_CLASS", "ultra-frozen");

        ProductClass product = KpiSettings.fromEnvironment(env).productClass();

        assertThat(product.name()).isEqualTo("ultra-frozen");
        assertThat(product.band().lowCelsius()).isEqualTo(-80.0);
        assertThat(product.band().highCelsius()).isEqualTo(-60.0);
        assertThat(product.policy().torBudget()).isEqualTo(java.time.Duration.ofMinutes(15));
        env.remove("WAYBILL_PRODUCT_CLASSES");
        assertThatThrownBy(() -> KpiSettings.fromEnvironment(env)).hasMessageContaining("'ultra-frozen'");
    }

    @Test
    void theScannedAttributeIsTheEventItemBeansEventJson() {
        assertThat(TableSchema.fromBean(EventItem.class).attributeNames())
                .contains(EventStoreScan.EVENT_JSON_ATTRIBUTE);
    }
}
