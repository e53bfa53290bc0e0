package io.waybill.domain.coldchain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.waybill.domain.coldchain.Steps.T0;
import static org.assertj.core.api.Assertions.assertThat;

class ExposureDeterminismTest {
    /** A day of irregular readings (intervals of 1 s to 20 min) wandering around the 2–8 °C band. */
    private static List<ExposureReading> irregularDay() {
        Random random = new Random(20260301L);
        List<ExposureReading> readings = new ArrayList<>();
        java.time.Instant t = T0;
        double celsius = 5;
        while (t.isBefore(T0.plus(Duration.ofDays(1)))) {
            readings.add(ExposureReading.of(t, celsius));
            celsius = Math.max(-3, Math.min(30, celsius + random.nextGaussian() * 1.7));
            t = t.plusMillis(1_000 + random.nextInt(1_200_000));
        }
        return List.copyOf(readings);
    }

    private static ExposureAssessment assess(List<ExposureReading> readings) {
        return ProductClass.VACCINES_2_8.assess(readings);
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 42L, 7_919L, 123_456_789L, -5L})
    void shuffledAndDuplicatedReadingsGiveIdenticalFigures(long seed) {
        List<ExposureReading> inOrder = irregularDay();
        ExposureAssessment expected = assess(inOrder);

        List<ExposureReading> shuffled = new ArrayList<>(inOrder);
        Collections.shuffle(shuffled, new Random(seed));
        List<ExposureReading> duplicated = new ArrayList<>(inOrder);
        Random pick = new Random(seed);
        for (int i = 0; i < inOrder.size() / 3; i++) {
            duplicated.add(inOrder.get(pick.nextInt(inOrder.size())));
        }
        Collections.shuffle(duplicated, new Random(seed + 1));

        assertThat(assess(shuffled)).isEqualTo(expected);
        assertThat(assess(duplicated)).isEqualTo(expected);
        assertThat(assess(duplicated).figures().readings()).isEqualTo(inOrder.size());
        // bitwise, not just within a tolerance
        assertThat(Double.doubleToRawLongBits(assess(shuffled).figures().mktCelsius().getAsDouble()))
                .isEqualTo(Double.doubleToRawLongBits(expected.figures().mktCelsius().getAsDouble()));
        assertThat(Double.doubleToRawLongBits(assess(duplicated).figures().degreeMinutesAbove()))
                .isEqualTo(Double.doubleToRawLongBits(expected.figures().degreeMinutesAbove()));
    }

    @Test
    void reversedInputGivesIdenticalFigures() {
        List<ExposureReading> inOrder = irregularDay();
        List<ExposureReading> reversed = new ArrayList<>(inOrder);
        Collections.reverse(reversed);

        assertThat(assess(reversed)).isEqualTo(assess(inOrder));
    }

    @Test
    void sameTimeWithDifferentValuesKeepsTheHighestWhateverTheOrder() {
        List<ExposureReading> a = List.of(ExposureReading.of(T0, 4), ExposureReading.of(T0, 11),
                ExposureReading.of(T0, 6), ExposureReading.of(T0.plusSeconds(600), 5));
        List<ExposureReading> b = new ArrayList<>(a);
        Collections.reverse(b);

        ExposureFigures fa = ExposureCalculator.forBand(TemperatureBand.between(2, 8)).measure(a);
        ExposureFigures fb = ExposureCalculator.forBand(TemperatureBand.between(2, 8)).measure(b);

        assertThat(fa).isEqualTo(fb);
        assertThat(fa.readings()).isEqualTo(2);
        assertThat(fa.timeOutOfRange()).isEqualTo(Duration.ofMinutes(10)); // 11 °C kept, held 10 minutes
        assertThat(fa.degreeMinutesAbove()).isEqualTo(30.0);
        assertThat(fa.minCelsius().getAsDouble()).isEqualTo(5.0); // 4 °C at T0 was discarded
    }
}
