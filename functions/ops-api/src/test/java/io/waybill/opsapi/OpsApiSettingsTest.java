package io.waybill.opsapi;

import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.domain.coldchain.TemperatureBand;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The environment the ops API reads: the evidence store and the product class catalog are optional. */
class OpsApiSettingsTest {
    private static final Map<String, String> REQUIRED = Map.of("WAYBILL_EVENTS_TABLE", "ev",
            "WAYBILL_SHIPMENTS_TABLE", "sh", "WAYBILL_INCIDENTS_TABLE", "in");

    @Test
    void withoutTheEvidenceStoreOrCatalogTheDefaultsHold() {
        OpsApiSettings s = OpsApiSettings.fromEnvironment(REQUIRED);
        assertThat(s.exposureTable()).isNull();
        assertThat(s.productClasses()).isEqualTo(ProductClassCatalog.defaults());
    }

    @Test
    void theEvidenceStoreAndACatalogOverrideAreRead() {
        Map<String, String> env = new java.util.HashMap<>(REQUIRED);
        env.put("WAYBILL_EXPOSURE_TABLE", "exposure-t");
        env.put("WAYBILL_PRODUCT_CLASSES",
                "{\"productClasses\":[{\"name\":\"tulips\",\"lowCelsius\":1,\"highCelsius\":4,\"torBudget\":\"PT2H\","
                        + "\"maxInterpolationGap\":\"PT5M\"}]}");
        OpsApiSettings s = OpsApiSettings.fromEnvironment(env);
        assertThat(s.exposureTable()).isEqualTo("exposure-t");
        assertThat(s.productClasses().require("tulips").band()).isEqualTo(TemperatureBand.between(1, 4));
        assertThat(s.productClasses().require("tulips").policy().maxInterpolationGap())
                .isEqualTo(java.time.Duration.ofMinutes(5));
        // the built-in classes stay
        assertThat(s.productClasses().find("chilled-biologics-2-8")).isPresent();
        env.put("WAYBILL_PRODUCT_CLASSES", "not json");
        assertThatThrownBy(() -> OpsApiSettings.fromEnvironment(env)).hasMessageContaining("WAYBILL_PRODUCT_CLASSES");
    }
}
