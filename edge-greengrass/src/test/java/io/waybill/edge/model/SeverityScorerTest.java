package io.waybill.edge.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.waybill.edge.model.ProductSensitivity.HIGH;
import static io.waybill.edge.model.ProductSensitivity.LOW;
import static io.waybill.edge.model.ProductSensitivity.STANDARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeverityScorerTest {
    private final SeverityScorer scorer = SeverityScorer.defaults();

    private int score(long minutes, double magnitude, double degreeMinutes, ProductSensitivity s) {
        return scorer.score(Duration.ofMinutes(minutes), magnitude, degreeMinutes, s).score();
    }

    @Test
    void longerExcursionScoresHigher() {
        assertThat(score(40, 2, 60, STANDARD)).isGreaterThan(score(10, 2, 60, STANDARD));
    }

    @Test
    void hotterExcursionScoresHigher() {
        assertThat(score(20, 6, 60, STANDARD)).isGreaterThan(score(20, 1, 60, STANDARD));
    }

    @Test
    void moreDegreeMinutesScoreHigher() {
        assertThat(score(20, 2, 120, STANDARD)).isGreaterThan(score(20, 2, 20, STANDARD));
    }

    @Test
    void moreSensitiveProductScoresHigher() {
        assertThat(score(20, 2, 40, HIGH)).isGreaterThan(score(20, 2, 40, STANDARD));
        assertThat(score(20, 2, 40, STANDARD)).isGreaterThan(score(20, 2, 40, LOW));
    }

    @Test
    void reeferFailureOutranksAJustConfirmedMildExcursion() {
        // 40 min at ~10 °C in a 2..8 band versus 5 min at 8.6 °C
        Severity failure = scorer.score(Duration.ofMinutes(40), 3.0, 80.0, STANDARD);
        Severity mild = scorer.score(Duration.ofMinutes(5), 0.6, 3.0, STANDARD);

        assertThat(failure.score()).isGreaterThan(mild.score());
        assertThat(failure.level()).isEqualTo(SeverityLevel.WARNING);
        assertThat(mild.level()).isEqualTo(SeverityLevel.INFO);
    }

    @Test
    void scoreIsMonotoneInEveryInput() {
        long[] minutes = {0, 5, 10, 30, 60, 240, 1440};
        double[] magnitudes = {0, 0.5, 1, 2, 5, 10, 30};
        double[] dms = {0, 5, 30, 60, 200, 1000, 10_000};
        ProductSensitivity[] sens = ProductSensitivity.values();
        for (int s = 0; s < sens.length; s++) {
            for (int i = 0; i < minutes.length; i++) {
                for (int j = 0; j < magnitudes.length; j++) {
                    for (int k = 0; k < dms.length; k++) {
                        int here = score(minutes[i], magnitudes[j], dms[k], sens[s]);
                        assertThat(here).isBetween(0, 100);
                        if (i > 0) {
                            assertThat(here).isGreaterThanOrEqualTo(score(minutes[i - 1], magnitudes[j], dms[k], sens[s]));
                        }
                        if (j > 0) {
                            assertThat(here).isGreaterThanOrEqualTo(score(minutes[i], magnitudes[j - 1], dms[k], sens[s]));
                        }
                        if (k > 0) {
                            assertThat(here).isGreaterThanOrEqualTo(score(minutes[i], magnitudes[j], dms[k - 1], sens[s]));
                        }
                        if (s > 0) {
                            assertThat(here).isGreaterThanOrEqualTo(score(minutes[i], magnitudes[j], dms[k], sens[s - 1]));
                        }
                    }
                }
            }
        }
    }

    @Test
    void workedExampleOfTheJavadoc() {
        // 40 min, peak 3 °C beyond the limit, 80 °C x min:
        // 100 x (0.25 x 40/70 + 0.25 x 3/5 + 0.5 x 80/140) = 57.857 -> 58; x 1.5 = 86.79 -> 87
        assertThat(scorer.score(Duration.ofMinutes(40), 3.0, 80.0, STANDARD))
                .isEqualTo(new Severity(58, SeverityLevel.WARNING));
        assertThat(scorer.score(Duration.ofMinutes(40), 3.0, 80.0, HIGH))
                .isEqualTo(new Severity(87, SeverityLevel.CRITICAL));
    }

    @Test
    void nothingOutsideScoresZeroAndTheWorstIsCappedAt100() {
        assertThat(scorer.score(Duration.ZERO, 0, 0, HIGH)).isEqualTo(new Severity(0, SeverityLevel.INFO));
        assertThat(scorer.score(Duration.ofDays(3), 40, 50_000, HIGH)).isEqualTo(new Severity(100,
                SeverityLevel.CRITICAL));
    }

    @Test
    void levelsFollowTheThresholds() {
        assertThat(scorer.level(19)).isEqualTo(SeverityLevel.INFO);
        assertThat(scorer.level(20)).isEqualTo(SeverityLevel.WARNING);
        assertThat(scorer.level(59)).isEqualTo(SeverityLevel.WARNING);
        assertThat(scorer.level(60)).isEqualTo(SeverityLevel.CRITICAL);
    }

    @Test
    void scoresAnExcursionFromItsSnapshot() {
        Excursion x = new Excursion("p", 1, io.waybill.domain.event.TemperatureBreached.Limit.UPPER, 8.0,
                Readings.T0, Readings.T0.plus(Duration.ofMinutes(40)), Duration.ofMinutes(40), 11.0, 80.0);

        assertThat(scorer.score(x, STANDARD).score()).isEqualTo(58);
    }

    @Test
    void weightsMustSumToOne() {
        assertThatThrownBy(() -> SeverityConfig.builder().weights(0.5, 0.5, 0.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum");
        assertThatThrownBy(() -> SeverityConfig.builder().warningFrom(70).criticalFrom(60).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
