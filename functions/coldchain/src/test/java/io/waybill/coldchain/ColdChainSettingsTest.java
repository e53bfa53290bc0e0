package io.waybill.coldchain;

import io.waybill.domain.coldchain.ColdChainConfig;
import io.waybill.domain.coldchain.ProductClass;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ColdChainSettingsTest {
    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("WAYBILL_EVENTS_TABLE", "waybill-prod-events");
        env.put("WAYBILL_SHIPMENTS_TABLE", "waybill-prod-shipments");
        env.put("WAYBILL_EXPOSURE_TABLE", "waybill-prod-exposure");
        env.put("WAYBILL_INCIDENTS_TABLE", "waybill-prod-incidents");
        env.put("WAYBILL_COMPLIANCE_TABLE", "waybill-prod-compliance");
        return env;
    }

    @Test
    void tablesComeFromTheEnvironmentAndDecisionsDefaultToChilledBiologics() {
        ColdChainSettings s = ColdChainSettings.fromEnvironment(env());

        assertThat(s.exposureTable()).isEqualTo("waybill-prod-exposure");
        assertThat(s.incidentsTable()).isEqualTo("waybill-prod-incidents");
        assertThat(s.decisions()).isEqualTo(ColdChainConfig.defaults());
        assertThat(s.decisions().confirmAfter()).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThat(s.decisions().defaultProductClass()).isEqualTo(ProductClass.CHILLED_BIOLOGICS_2_8);
        assertThat(s.endpointOverride()).isNull();
    }

    @Test
    void productClassAttentionAndEndpointCanBeSet() {
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASS", "FROZEN");
        env.put("WAYBILL_ATTENTION_SEVERITY", "40");
        env.put("WAYBILL_CONFIRM_AFTER_SECONDS", "0");
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");

        ColdChainSettings s = ColdChainSettings.fromEnvironment(env);

        assertThat(s.decisions().defaultProductClass()).isEqualTo(ProductClass.FROZEN);
        assertThat(s.decisions().attentionSeverity()).isEqualTo(40);
        assertThat(s.decisions().confirmAfter()).isZero();
        assertThat(s.endpointOverride()).isEqualTo(URI.create("http://127.0.0.1:4566"));
    }

    @Test
    void aMissingTableOrUnknownProductClassStopsTheFunctionWithTheVariableNamed() {
        Map<String, String> env = env();
        env.remove("WAYBILL_COMPLIANCE_TABLE");
        assertThatThrownBy(() -> ColdChainSettings.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("WAYBILL_COMPLIANCE_TABLE");

        Map<String, String> unknown = env();
        unknown.put("WAYBILL_PRODUCT_CLASS", "bananas");
        assertThatThrownBy(() -> ColdChainSettings.fromEnvironment(unknown))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bananas")
                .hasMessageContaining("chilled-biologics-2-8");
    }

    @Test
    void withoutProductClassesTheCatalogIsTheDefaultFile() {
        ColdChainSettings s = ColdChainSettings.fromEnvironment(env());

        assertThat(s.productClasses().names())
                .containsExactly("vaccines-2-8", "chilled-biologics-2-8", "ambient-pharma-15-25", "frozen");
    }

    @Test
    void productClassesReplaceAndAddClassesByNameAndTheDefaultClassMayBeANewOne() {
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASSES", """
                {"productClasses": [
                  {"name": "chilled-biologics-2-8", "lowCelsius": 2, "highCelsius": 8, "torBudget": "PT20M"},
                  {"name": "deep-frozen-70", "highCelsius": -60, "torBudget": "PT10M", "hardHighCelsius": -50}]}""");

        ColdChainSettings s = ColdChainSettings.fromEnvironment(env);

        assertThat(s.productClasses().names()).containsExactly("vaccines-2-8", "chilled-biologics-2-8",
                "ambient-pharma-15-25", "frozen", "deep-frozen-70");
        // no WAYBILL_PRODUCT_CLASS: the default class is the catalog's chilled-biologics-2-8, as overridden (20 min)
        assertThat(s.decisions().defaultProductClass().policy().torBudget())
                .isEqualTo(java.time.Duration.ofMinutes(20));

        env.put("WAYBILL_PRODUCT_CLASS", "Deep-Frozen-70");
        ProductClass deep = ColdChainSettings.fromEnvironment(env).decisions().defaultProductClass();
        assertThat(deep.name()).isEqualTo("deep-frozen-70");
        assertThat(deep.band().upperBound()).hasValue(-60.0);
        assertThat(deep.policy().hardHighCelsius()).hasValue(-50.0);
    }

    @Test
    void aBadProductClassesDocumentStopsTheFunctionNamingTheVariableTheEntryAndTheKey() {
        Map<String, String> env = env();
        env.put("WAYBILL_PRODUCT_CLASSES", "{\"productClasses\": [{\"name\": \"frozen\", \"highCelsius\": -18,"
                + " \"torBudget\": \"30 minutes\"}]}");

        assertThatThrownBy(() -> ColdChainSettings.fromEnvironment(env)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("WAYBILL_PRODUCT_CLASSES: productClasses[0] (frozen).torBudget")
                .hasMessageContaining("ISO-8601");
    }
}
