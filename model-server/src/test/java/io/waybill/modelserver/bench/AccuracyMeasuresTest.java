package io.waybill.modelserver.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The M4 measures against values worked out by hand. */
class AccuracyMeasuresTest {

    @Test
    void maseDividesTheForecastErrorByTheInSampleSeasonalNaiveError() {
        // lag-2 in-sample differences of 1..6 are all 2 -> scale 2; errors |7-6| = 1, |8-10| = 2 -> MAE 1.5; 1.5 / 2
        double mase = AccuracyMeasures.mase(new double[] {1, 2, 3, 4, 5, 6}, new double[] {7, 8}, new double[] {6, 10}, 2);
        assertThat(mase).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void maseOfANonSeasonalSeriesScalesByTheOneStepNaiveError() {
        // lag-1 differences of 1, 4, 2, 5: 3, 2, 3 -> scale 8/3; error |9 - 7| = 2 -> 2 / (8/3) = 0.75
        double mase = AccuracyMeasures.mase(new double[] {1, 4, 2, 5}, new double[] {9}, new double[] {7}, 1);
        assertThat(mase).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void maseIsUndefinedWhenTheSeriesRepeatsItselfExactly() {
        assertThat(AccuracyMeasures.mase(new double[] {3, 5, 3, 5, 3, 5}, new double[] {3}, new double[] {4}, 2)).isNaN();
        assertThat(AccuracyMeasures.mase(new double[] {3, 5}, new double[] {3}, new double[] {4}, 2)).isNaN();
    }

    @Test
    void smapeIsTheM4DefinitionInPercentWithZeroOverZeroCountedAsZero() {
        // 200*10/210 = 9.5238..., 0/0 -> 0, 200*50/50 = 200; mean = 69.84126984...
        double smape = AccuracyMeasures.smape(new double[] {100, 0, 50}, new double[] {110, 0, 0});
        assertThat(smape).isCloseTo(69.84126984126983, within(1e-9));
        assertThat(AccuracyMeasures.smape(new double[] {-4}, new double[] {4})).isCloseTo(200, within(1e-12));
    }

    @Test
    void coverageCountsPointsInsideTheIntervalBoundsIncluded() {
        // 1 in [0,2] yes; 2 in [2,2] yes; 3 in [3.5,4] no; 4 in [0,3] no -> 2 of 4
        double coverage = AccuracyMeasures.coverage(new double[] {1, 2, 3, 4}, new double[] {0, 2, 3.5, 0},
                new double[] {2, 2, 4, 3});
        assertThat(coverage).isEqualTo(0.5);
    }

    @Test
    void arraysOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> AccuracyMeasures.smape(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccuracyMeasures.coverage(new double[] {1}, new double[] {1}, new double[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
