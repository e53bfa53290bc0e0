package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductClassCatalogTest {
    private static final String ENV = "WAYBILL_PRODUCT_CLASSES";

    @Test
    void theDefaultCatalogFileHoldsTodaysPresetsInOrder() {
        ProductClassCatalog d = ProductClassCatalog.defaults();

        assertThat(d.names()).containsExactly("vaccines-2-8", "chilled-biologics-2-8", "ambient-pharma-15-25", "frozen");
        // Written out from ProductClass's javadoc, not from the presets' code:
        ProductClass vaccines = d.require("vaccines-2-8");
        assertThat(vaccines.band()).isEqualTo(new TemperatureBand(2, 8));
        assertThat(vaccines.policy().torBudget()).isEqualTo(Duration.ofMinutes(60));
        assertThat(vaccines.policy().majorDegreeMinutes()).isEqualTo(60.0);
        assertThat(vaccines.policy().hardHighCelsius()).isEqualTo(OptionalDouble.of(25));
        assertThat(vaccines.policy().hardLowCelsius()).isEqualTo(OptionalDouble.of(0));
        assertThat(vaccines.policy().mktLimitCelsius()).isEqualTo(OptionalDouble.of(8));
        assertThat(vaccines.policy().maxInterpolationGap()).isEqualTo(Duration.ofMinutes(15));
        assertThat(vaccines.policy().unknownTimeCounts()).isTrue();
        ProductClass frozen = d.require("frozen");
        assertThat(frozen.band().upperBound()).isEqualTo(OptionalDouble.of(-18));
        assertThat(frozen.band().lowerBound()).isEmpty();
        assertThat(frozen.policy().torBudget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(frozen.policy().hardHighCelsius()).isEqualTo(OptionalDouble.of(-10));
        assertThat(frozen.policy().hardLowCelsius()).isEmpty();
        assertThat(frozen.policy().mktLimitCelsius()).isEmpty();
        ProductClass ambient = d.require("ambient-pharma-15-25");
        assertThat(ambient.policy().torBudget()).isEqualTo(Duration.ofHours(24));
        assertThat(ambient.policy().majorDegreeMinutes()).isEqualTo(240.0);
        // and the file agrees with the code's presets, so neither drifts from the other
        assertThat(d.classes()).containsExactlyElementsOf(ProductClass.presets());
    }

    @Test
    void namesAreFoundWhateverTheirCaseButNeverByResemblance() {
        ProductClassCatalog d = ProductClassCatalog.defaults();

        assertThat(d.find(" FROZEN ")).hasValue(ProductClass.FROZEN);
        assertThat(d.find("frozen-goods")).isEmpty();
        assertThat(d.find("chilled")).isEmpty();
        assertThat(d.find(null)).isEmpty();
        assertThatThrownBy(() -> d.require("bananas")).hasMessageContaining("bananas")
                .hasMessageContaining("vaccines-2-8, chilled-biologics-2-8, ambient-pharma-15-25, frozen");
    }

    @Test
    void aDocumentReplacesClassesByNameAndAddsNewOnes() {
        ProductClassCatalog overrides = ProductClassCatalog.parse("""
                {"productClasses": [
                  {"name": "frozen", "highCelsius": -20, "torBudget": "PT15M", "hardHighCelsius": -12,
                   "maxInterpolationGap": "PT5M", "unknownTimeCounts": false},
                  {"name": "deep-frozen-70", "highCelsius": -60, "lowCelsius": null, "torBudget": "PT0S"}
                ]}""", ENV);

        ProductClassCatalog c = ProductClassCatalog.defaults().overriddenBy(overrides);

        assertThat(c.names()).containsExactly("vaccines-2-8", "chilled-biologics-2-8", "ambient-pharma-15-25", "frozen",
                "deep-frozen-70");
        ProductClass frozen = c.require("frozen");
        assertThat(frozen.band()).isEqualTo(TemperatureBand.atMost(-20));
        assertThat(frozen.policy().torBudget()).isEqualTo(Duration.ofMinutes(15));
        assertThat(frozen.policy().hardHighCelsius()).isEqualTo(OptionalDouble.of(-12));
        assertThat(frozen.policy().maxInterpolationGap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(frozen.policy().unknownTimeCounts()).isFalse();
        // left out: the BreachPolicy defaults, not the replaced class's values
        assertThat(frozen.policy().majorDegreeMinutes()).isEqualTo(60.0);
        ProductClass deep = c.require("deep-frozen-70");
        assertThat(deep.band()).isEqualTo(TemperatureBand.atMost(-60));
        assertThat(deep.policy().torBudget()).isZero();
        assertThat(deep.policy().maxInterpolationGap()).isEqualTo(Duration.ofMinutes(15));
        assertThat(deep.policy().hardHighCelsius()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"PT30M\", \"torbudget\": \"PT1M\"}]} | productClasses[0]: unknown key 'torbudget'",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": 30}]} | productClasses[0] (x).torBudget must be an ISO-8601 duration string",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"30 min\"}]} | productClasses[0] (x).torBudget: \"30 min\" is not an ISO-8601 duration",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"-PT1M\"}]} | productClasses[0] (x): torBudget must not be negative",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": \"8\", \"torBudget\": \"PT1M\"}]} | productClasses[0] (x).highCelsius must be a number",
            "{\"productClasses\": [{\"name\": \"x\", \"torBudget\": \"PT1M\"}]} | productClasses[0] (x): the band needs lowCelsius, highCelsius or both",
            "{\"productClasses\": [{\"name\": \"x\", \"lowCelsius\": 8, \"highCelsius\": 2, \"torBudget\": \"PT1M\"}]} | productClasses[0] (x): a temperature band's low bound 8.0 °C is above its high bound 2.0 °C",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8}]} | productClasses[0] (x).torBudget is required",
            "{\"productClasses\": [{\"highCelsius\": 8, \"torBudget\": \"PT1M\"}]} | productClasses[0].name is required",
            "{\"productClasses\": [{\"name\": \"Frozen\", \"highCelsius\": 8, \"torBudget\": \"PT1M\"}]} | productClasses[0].name 'Frozen' must match",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"PT1M\", \"hardLowCelsius\": 5, \"hardHighCelsius\": 1}]} | productClasses[0] (x): hard low limit 5.0 °C is above hard high limit 1.0 °C",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"PT1M\", \"maxInterpolationGap\": \"PT0S\"}]} | productClasses[0] (x): maxInterpolationGap must be positive",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"PT1M\", \"unknownTimeCounts\": \"yes\"}]} | productClasses[0] (x).unknownTimeCounts must be true or false",
            "{\"productClasses\": [{\"name\": \"x\", \"highCelsius\": 8, \"torBudget\": \"PT1M\"}, {\"name\": \"x\", \"highCelsius\": 9, \"torBudget\": \"PT1M\"}]} | productClasses[1]: product class 'x' is already defined at WAYBILL_PRODUCT_CLASSES: productClasses[0]",
            "{\"productClasses\": {\"name\": \"x\"}} | productClasses must be an array",
            "{\"classes\": []} | unknown key 'classes'",
            "{\"description\": \"none\"} | productClasses is required",
            "[] | must be a JSON object",
            "{\"productClasses\": [], \"productClasses\": []} | not JSON",
            "{\"productClasses\": [ | not JSON"})
    void aBadDocumentIsRefusedNamingWhereAndWhy(String json, String message) {
        assertThatThrownBy(() -> ProductClassCatalog.parse(json, ENV))
                .isInstanceOf(ProductClassCatalog.InvalidCatalogException.class)
                .hasMessageStartingWith(ENV + ": ")
                .hasMessageContaining(message);
    }
}
