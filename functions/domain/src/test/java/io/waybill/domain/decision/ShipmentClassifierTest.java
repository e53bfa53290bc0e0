package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.coldchain.ProductClassCatalog;
import io.waybill.domain.coldchain.ShipmentClassification;
import io.waybill.domain.coldchain.TemperatureBand;
import io.waybill.domain.ingestion.TransientDependencyException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShipmentClassifierTest {
    private static final String PLANNED_FROZEN = "106141412345678908";
    private static final String PLANNED_UNKNOWN = "106141410000000729";
    private static final String PLANNED_UPPER_CASE = "006141411234567890";
    private static final String NOT_PLANNED = "006141410000004515";

    /** The plans, as a map: the reference the port is read from. */
    private static final ShipmentPlans PLANS = sscc -> Optional.ofNullable(Map.of(
            PLANNED_FROZEN, "frozen",
            PLANNED_UNKNOWN, "deep-frozen-70",
            PLANNED_UPPER_CASE, "VACCINES-2-8").get(sscc));

    private final ProductClassCatalog catalog = ProductClassCatalog.defaults();
    private final ProductClass chilled = catalog.require("chilled-biologics-2-8");
    private final ShipmentClassifier classifier = new ShipmentClassifier(catalog, PLANS, chilled);

    @Test
    void aPlannedClassOfTheCatalogIsTheShipmentsOwn() {
        ShipmentClassification c = classifier.classify(PLANNED_FROZEN);

        assertThat(c.classified()).isTrue();
        assertThat(c.unclassifiedReason()).isNull();
        assertThat(c.productClass().name()).isEqualTo("frozen");
        assertThat(c.productClass().band()).isEqualTo(TemperatureBand.atMost(-18));
        assertThat(classifier.classify(PLANNED_UPPER_CASE).productClass().name()).isEqualTo("vaccines-2-8");
    }

    @Test
    void aShipmentWithoutAPlanIsUnclassifiedAndJudgedUnderTheDefault() {
        ShipmentClassification c = classifier.classify(NOT_PLANNED);

        assertThat(c.classified()).isFalse();
        assertThat(c.sscc()).isEqualTo(NOT_PLANNED);
        assertThat(c.productClass().name()).isEqualTo("chilled-biologics-2-8");
        assertThat(c.productClass().policy().torBudget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.unclassifiedReason()).contains("no plan").contains(NOT_PLANNED);
    }

    @Test
    void aPlanNamingAClassTheCatalogDoesNotHoldIsUnclassifiedNeverItsNearestNamesake() {
        ShipmentClassification c = classifier.classify(PLANNED_UNKNOWN);

        assertThat(c.classified()).isFalse();
        // judged under the configured default, not "frozen" (the name it resembles), and flagged
        assertThat(c.productClass().name()).isEqualTo("chilled-biologics-2-8");
        assertThat(c.unclassifiedReason()).contains("'deep-frozen-70'").contains("does not hold")
                .contains("frozen");
    }

    @Test
    void theDefaultNeedNotBeInTheCatalog() {
        ProductClass house = new ProductClass("house-default", TemperatureBand.between(0, 4),
                io.waybill.domain.coldchain.BreachPolicy.defaults());
        ShipmentClassification c = new ShipmentClassifier(catalog, PLANS, house).classify(NOT_PLANNED);

        assertThat(c.classified()).isFalse();
        assertThat(c.productClass()).isSameAs(house);
    }

    @Test
    void plansThatCannotBeReadFailTheLookupInsteadOfDefaulting() {
        ShipmentPlans down = sscc -> {
            throw new TransientDependencyException("shipment plans", "throttled", null);
        };

        assertThatThrownBy(() -> new ShipmentClassifier(catalog, down, chilled).classify(PLANNED_FROZEN))
                .isInstanceOf(TransientDependencyException.class);
    }

    @Test
    void aClassificationStatesItsReasonExactlyWhenUnclassified() {
        assertThatThrownBy(() -> new ShipmentClassification(NOT_PLANNED, chilled, false, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShipmentClassification(NOT_PLANNED, chilled, true, "why"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
