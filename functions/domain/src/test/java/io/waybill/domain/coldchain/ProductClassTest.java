package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalDouble;

import static io.waybill.domain.coldchain.BreachCode.HARD_HIGH_LIMIT_EXCEEDED;
import static io.waybill.domain.coldchain.BreachCode.TOR_BUDGET_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductClassTest {
    @Test
    void presetsCarryTheDocumentedExampleNumbers() {
        ProductClass vaccines = ProductClass.VACCINES_2_8;
        assertThat(vaccines.band()).isEqualTo(TemperatureBand.between(2, 8));
        assertThat(vaccines.policy().torBudget()).isEqualTo(Duration.ofMinutes(60));
        assertThat(vaccines.policy().hardHighCelsius()).isEqualTo(OptionalDouble.of(25));
        assertThat(vaccines.policy().hardLowCelsius()).isEqualTo(OptionalDouble.of(0));
        assertThat(vaccines.policy().mktLimitCelsius()).isEqualTo(OptionalDouble.of(8));

        ProductClass ambient = ProductClass.AMBIENT_PHARMA_15_25;
        assertThat(ambient.band()).isEqualTo(TemperatureBand.between(15, 25));
        assertThat(ambient.policy().torBudget()).isEqualTo(Duration.ofHours(24));
        assertThat(ambient.policy().mktLimitCelsius()).isEqualTo(OptionalDouble.of(25));

        ProductClass frozen = ProductClass.FROZEN;
        assertThat(frozen.band()).isEqualTo(TemperatureBand.atMost(-18));
        assertThat(frozen.policy().torBudget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(frozen.policy().hardHighCelsius()).isEqualTo(OptionalDouble.of(-10));
        assertThat(frozen.policy().hardLowCelsius()).isEmpty();
    }

    @Test
    void presetsAreFoundByName() {
        assertThat(ProductClass.preset("Vaccines-2-8")).contains(ProductClass.VACCINES_2_8);
        assertThat(ProductClass.preset("frozen")).contains(ProductClass.FROZEN);
        assertThat(ProductClass.preset("ambient-pharma-15-25")).contains(ProductClass.AMBIENT_PHARMA_15_25);
        assertThat(ProductClass.preset("bananas")).isEmpty();
    }

    @Test
    void frozenGoodsWarmingForFortyMinutesBreachTheBudget() {
        ExposureAssessment a = ProductClass.FROZEN.assess(
                Steps.start().minutes(-20, 60).minutes(-15, 40).minutes(-22, 40).close(-20));

        assertThat(a.figures().timeOutOfRange()).isEqualTo(Duration.ofMinutes(40));
        assertThat(a.verdict().codes()).containsExactly(TOR_BUDGET_EXCEEDED);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.MAJOR); // 3 °C × 40 min = 120 °C·min > 60
    }

    @Test
    void frozenGoodsThawingPastMinusTenAreCritical() {
        ExposureAssessment a = ProductClass.FROZEN.assess(Steps.start().minutes(-20, 60).minutes(-8, 5).close(-20));

        assertThat(a.verdict().codes()).containsExactly(HARD_HIGH_LIMIT_EXCEEDED);
    }

    @Test
    void ambientProductAWarmAfternoonIsWithinTheDayBudget() {
        ExposureAssessment a = ProductClass.AMBIENT_PHARMA_15_25.assess(
                Steps.start().minutes(22, 600).minutes(29, 240).minutes(21, 600).close(21));

        assertThat(a.figures().timeOutOfRange()).isEqualTo(Duration.ofHours(4));
        assertThat(a.verdict().breached()).isFalse();
    }

    @Test
    void withPolicyReplacesOnlyThePolicy() {
        ProductClass strict = ProductClass.VACCINES_2_8.withPolicy(BreachPolicy.defaults());

        assertThat(strict.band()).isEqualTo(ProductClass.VACCINES_2_8.band());
        assertThat(strict.name()).isEqualTo("vaccines-2-8");
        assertThat(strict.policy()).isEqualTo(BreachPolicy.defaults());
    }

    @Test
    void productClassNeedsAName() {
        assertThatThrownBy(() -> new ProductClass(" ", TemperatureBand.atMost(-18), BreachPolicy.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
