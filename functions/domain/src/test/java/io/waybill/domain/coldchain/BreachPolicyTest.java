package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.waybill.domain.coldchain.BreachCode.HARD_HIGH_LIMIT_EXCEEDED;
import static io.waybill.domain.coldchain.BreachCode.HARD_LOW_LIMIT_EXCEEDED;
import static io.waybill.domain.coldchain.BreachCode.MKT_ABOVE_LABEL;
import static io.waybill.domain.coldchain.BreachCode.TOR_BUDGET_EXCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Cases against the {@link ProductClass#VACCINES_2_8} example policy unless named otherwise. */
class BreachPolicyTest {
    private static ExposureAssessment vaccines(List<ExposureReading> readings) {
        return ProductClass.VACCINES_2_8.assess(readings);
    }

    @Test
    void doorOpenBlipStaysWithinTorBudget() {
        ExposureAssessment a = vaccines(Steps.start().minutes(5, 30).seconds(12, 40).minutes(5, 30).close(5));

        assertThat(a.figures().timeOutOfRange()).isEqualTo(Duration.ofSeconds(40));
        // mkt([(5,30),(12,40/60),(5,30)]) = 5.119602414258907
        assertThat(a.figures().mktCelsius().getAsDouble()).isCloseTo(5.119602414258907, within(1e-6));
        assertThat(a.verdict()).isEqualTo(BreachVerdict.clear());
        assertThat(a.verdict().breached()).isFalse();
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.NONE);
    }

    @Test
    void sixtyFiveMinutesWarmBeyondManyDegreeMinutesIsAMajorTorBreach() {
        // 40 min at 10.5 °C + 25 min at 9 °C = 65 min > 60 min; 40*2.5 + 25*1 = 125 °C·min > 60
        ExposureAssessment a = vaccines(Steps.start().minutes(10.5, 40).minutes(9, 25).minutes(5, 60).close(5));

        assertThat(a.figures().timeOutOfRange()).isEqualTo(Duration.ofMinutes(65));
        assertThat(a.figures().degreeMinutesAbove()).isCloseTo(125.0, within(1e-9));
        // mkt([(10.5,40),(9,25),(5,60)]) = 7.934586498053761: below the 8 °C label, so TOR is the only reason
        assertThat(a.figures().mktCelsius().getAsDouble()).isCloseTo(7.934586498053761, within(1e-6));
        assertThat(a.verdict().codes()).containsExactly(TOR_BUDGET_EXCEEDED);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.MAJOR);
        assertThat(a.verdict().breached()).isTrue();
        assertThat(a.verdict().reasons().get(0).text())
                .isEqualTo("1 h 5 min out of 2.0..8.0 °C exceeds the budget of 1 h (125.00 °C·min out of range, MAJOR above 60.0)");
    }

    @Test
    void slightlyWarmJustOverBudgetIsAMinorTorBreach() {
        // 61 min at 8.5 °C: 30.5 °C·min, not above 60
        ExposureAssessment a = vaccines(Steps.start().minutes(8.5, 61).minutes(5, 120).close(5));

        // mkt([(8.5,61),(5,120)]) = 6.351217153266873
        assertThat(a.figures().mktCelsius().getAsDouble()).isCloseTo(6.351217153266873, within(1e-6));
        assertThat(a.verdict().codes()).containsExactly(TOR_BUDGET_EXCEEDED);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.MINOR);
    }

    @Test
    void exactlyTheTorBudgetIsNotABreach() {
        ExposureAssessment a = vaccines(Steps.start().minutes(9, 60).minutes(5, 600).close(5));

        assertThat(a.figures().timeOutOfRange()).isEqualTo(Duration.ofMinutes(60));
        assertThat(a.verdict().breached()).isFalse();
    }

    @Test
    void oneMinuteAboveTheHardHighLimitIsCritical() {
        ExposureAssessment a = vaccines(Steps.start().minutes(5, 60).minutes(26, 1).minutes(5, 60).close(5));

        // mkt([(5,60),(26,1),(5,60)]) = 5.702784107177422
        assertThat(a.figures().mktCelsius().getAsDouble()).isCloseTo(5.702784107177422, within(1e-6));
        assertThat(a.verdict().codes()).containsExactly(HARD_HIGH_LIMIT_EXCEEDED);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.CRITICAL);
        assertThat(a.verdict().reasons().get(0).text())
                .isEqualTo("reading of 26.0 °C is above the hard high limit of 25.0 °C");
    }

    @Test
    void readingEqualToTheHardHighLimitIsNotCritical() {
        ExposureAssessment a = vaccines(Steps.start().minutes(5, 60).minutes(25, 1).minutes(5, 60).close(5));

        assertThat(a.verdict().breached()).isFalse();
    }

    @Test
    void closingReadingAboveTheHardHighLimitIsCriticalThoughItHasNoWeight() {
        ExposureAssessment a = vaccines(Steps.start().minutes(5, 60).close(30));

        assertThat(a.figures().timeOutOfRange()).isZero();
        assertThat(a.verdict().codes()).containsExactly(HARD_HIGH_LIMIT_EXCEEDED);
    }

    @Test
    void fiveMinutesFrozenIsCritical() {
        ExposureAssessment a = vaccines(Steps.start().minutes(-0.5, 5).minutes(4, 60).close(4));

        assertThat(a.figures().degreeMinutesBelow()).isCloseTo(2.5 * 5, within(1e-9));
        // mkt([(-0.5,5),(4,60)]) = 3.7304461441698322
        assertThat(a.figures().mktCelsius().getAsDouble()).isCloseTo(3.7304461441698322, within(1e-6));
        assertThat(a.verdict().codes()).containsExactly(HARD_LOW_LIMIT_EXCEEDED);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.CRITICAL);
    }

    @Test
    void shortHotSpellWithinBudgetCanStillPutMktAboveTheLabel() {
        // 2 h at 7.9 °C then 50 min at 20 °C: TOR 50 min is within the 60 min budget, 20 °C is below the 25 °C hard
        // limit, but mkt([(7.9,120),(20,50)]) = 13.415077117319868 > 8
        ExposureAssessment a = vaccines(Steps.start().minutes(7.9, 120).minutes(20, 50).close(7.9));

        assertThat(a.figures().mktCelsius().getAsDouble()).isCloseTo(13.415077117319868, within(1e-6));
        assertThat(a.verdict().codes()).containsExactly(MKT_ABOVE_LABEL);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.MAJOR);
        assertThat(a.verdict().reasons().get(0).text())
                .isEqualTo("mean kinetic temperature 13.415 °C is above the label limit of 8.0 °C");
    }

    @Test
    void everyReasonAtOnceIsCriticalWithReasonsInCodeOrder() {
        ExposureAssessment a = vaccines(Steps.start().minutes(-1, 10).minutes(30, 90).close(5));

        assertThat(a.verdict().codes()).containsExactly(HARD_HIGH_LIMIT_EXCEEDED, HARD_LOW_LIMIT_EXCEEDED,
                TOR_BUDGET_EXCEEDED, MKT_ABOVE_LABEL);
        assertThat(a.verdict().severity()).isEqualTo(BreachSeverity.CRITICAL);
        assertThat(a.verdict().reasons()).extracting(BreachReason::severity).containsExactly(BreachSeverity.CRITICAL,
                BreachSeverity.CRITICAL, BreachSeverity.MAJOR, BreachSeverity.MAJOR);
    }

    @Test
    void emptyAndSingleReadingSeriesAreNotBreachesOfTime() {
        assertThat(vaccines(List.of()).verdict()).isEqualTo(BreachVerdict.clear());
        assertThat(vaccines(List.of(ExposureReading.of(Steps.T0, 12))).verdict()).isEqualTo(BreachVerdict.clear());
    }

    @Test
    void defaultPolicyMakesAnyTimeOutOfRangeABreach() {
        BreachPolicy policy = BreachPolicy.defaults();
        assertThat(policy.torBudget()).isEqualTo(BreachPolicy.DEFAULT_TOR_BUDGET).isZero();
        assertThat(policy.majorDegreeMinutes()).isEqualTo(BreachPolicy.DEFAULT_MAJOR_DEGREE_MINUTES).isEqualTo(60.0);
        assertThat(policy.hardHighCelsius()).isEmpty();
        assertThat(policy.hardLowCelsius()).isEmpty();
        assertThat(policy.mktLimitCelsius()).isEmpty();
        assertThat(BreachPolicy.builder().build()).isEqualTo(policy);

        ExposureAssessment blip = ExposureAssessment.of(TemperatureBand.between(2, 8), policy,
                Steps.start().minutes(5, 30).seconds(12, 40).minutes(5, 30).close(5));
        assertThat(blip.verdict().codes()).containsExactly(TOR_BUDGET_EXCEEDED);
        assertThat(blip.verdict().severity()).isEqualTo(BreachSeverity.MINOR);
        assertThat(blip.verdict().reasons().get(0).text()).startsWith("40 s out of 2.0..8.0 °C exceeds the budget of 0 s");

        ExposureAssessment inBand = ExposureAssessment.of(TemperatureBand.between(2, 8), policy,
                Steps.start().minutes(2, 30).minutes(8, 30).close(8));
        assertThat(inBand.verdict().breached()).isFalse();
    }

    @Test
    void toBuilderKeepsValuesAndOverridesOne() {
        BreachPolicy vaccines = ProductClass.VACCINES_2_8.policy();
        BreachPolicy stricter = vaccines.toBuilder().torBudget(Duration.ofMinutes(30)).build();

        assertThat(stricter.torBudget()).isEqualTo(Duration.ofMinutes(30));
        assertThat(stricter.hardHighCelsius()).isEqualTo(vaccines.hardHighCelsius());
        assertThat(stricter.mktLimitCelsius()).isEqualTo(vaccines.mktLimitCelsius());
        assertThat(stricter.toBuilder().torBudget(Duration.ofMinutes(60)).build()).isEqualTo(vaccines);
        assertThat(vaccines.toBuilder().noHardHigh().noHardLow().noMktLimit().torBudget(Duration.ZERO).build())
                .isEqualTo(BreachPolicy.defaults());
    }

    @Test
    void invalidPoliciesAreRejected() {
        assertThatThrownBy(() -> BreachPolicy.builder().torBudget(Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BreachPolicy.builder().hardHighCelsius(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BreachPolicy.builder().majorDegreeMinutes(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BreachPolicy.builder().hardLowCelsius(10).hardHighCelsius(5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above hard high limit");
    }

    @Test
    void verdictRejectsInconsistentFields() {
        BreachReason reason = new BreachReason(MKT_ABOVE_LABEL, BreachSeverity.MAJOR, "x");
        assertThatThrownBy(() -> new BreachVerdict(false, BreachSeverity.MAJOR, List.of(reason)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BreachVerdict(true, BreachSeverity.CRITICAL, List.of(reason)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BreachVerdict.of(List.of(reason))).isEqualTo(new BreachVerdict(true, BreachSeverity.MAJOR, List.of(reason)));
    }

    @Test
    void durationsAreDescribedForPeople() {
        assertThat(BreachPolicy.describe(Duration.ofSeconds(40))).isEqualTo("40 s");
        assertThat(BreachPolicy.describe(Duration.ofMinutes(65))).isEqualTo("1 h 5 min");
        assertThat(BreachPolicy.describe(Duration.ofSeconds(90, 500_000_000))).isEqualTo("1 min 30.5 s");
        assertThat(BreachPolicy.describe(Duration.ZERO)).isEqualTo("0 s");
    }

    @Test
    void summaryReadsAsThePolicyForPeople() {
        assertThat(ProductClass.CHILLED_BIOLOGICS_2_8.policy().summary()).isEqualTo("TOR budget 30 min, MAJOR above 60"
                + " °C·min, above 15 °C CRITICAL, below 0 °C CRITICAL, MKT above 8 °C MAJOR");
        assertThat(ProductClass.FROZEN.policy().summary()).isEqualTo("TOR budget 30 min, MAJOR above 60 °C·min, above"
                + " -10 °C CRITICAL");
    }
}
