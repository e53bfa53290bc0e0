package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static io.waybill.domain.coldchain.Steps.T0;
import static io.waybill.domain.coldchain.Steps.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Golden figures computed by hand (TOR, degree-minutes) and, for MKT, independently of this code with Python's
 * {@code math} module:
 * <pre>
 * import math
 * def mkt(pairs):  # (celsius, weight in minutes) of every weighted reading; the closing reading is left out
 *     W = sum(w for _, w in pairs)
 *     S = sum(w*math.exp(-10000.0/(c+273.15)) for c, w in pairs)
 *     return 10000.0/(-math.log(S/W)) - 273.15
 * </pre>
 * Each MKT literal below shows the call that produced it.
 */
class ExposureCalculatorGoldenTest {
    private static final double MKT_TOLERANCE = 1e-6;
    private static final double EXACT = 1e-9;
    private static final ExposureCalculator TWO_TO_EIGHT = ExposureCalculator.forBand(TemperatureBand.between(2, 8));

    @Test
    void constantSeriesHasMktEqualToThatTemperature() {
        ExposureFigures f = TWO_TO_EIGHT.measure(Steps.start().minutes(5, 10).minutes(5, 10).close(5));

        // mkt([(5,10),(5,10)]) == 5.0
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(5.0, within(MKT_TOLERANCE));
        assertThat(f.timeOutOfRange()).isZero();
        assertThat(f.degreeMinutesAbove()).isZero();
        assertThat(f.degreeMinutesBelow()).isZero();
        assertThat(f.readings()).isEqualTo(3);
        assertThat(f.covered()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void fiveDegreesTenMinutesThenTwentyFiveDegreesTenMinutes() {
        // the closing reading (30 °C) weighs nothing: it only moves the maximum
        ExposureFigures f = TWO_TO_EIGHT.measure(Steps.start().minutes(5, 10).minutes(25, 10).close(30));

        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(10));
        assertThat(f.torSeconds()).isEqualTo(600.0);
        assertThat(f.timeAbove()).isEqualTo(Duration.ofMinutes(10));
        assertThat(f.timeBelow()).isZero();
        assertThat(f.degreeMinutesAbove()).isCloseTo((25 - 8) * 10.0, within(EXACT)); // 170
        assertThat(f.degreeMinutesBelow()).isZero();
        // mkt([(5,10),(25,10)]) = 19.69772136370875
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(19.69772136370875, within(MKT_TOLERANCE));
        assertThat(f.maxCelsius()).isEqualTo(OptionalDouble.of(30));
        assertThat(f.minCelsius()).isEqualTo(OptionalDouble.of(5));
        assertThat(f.firstTime()).contains(T0);
        assertThat(f.lastTime()).contains(at(20));
        assertThat(f.coveredSeconds()).isEqualTo(1200.0);
    }

    @Test
    void unequalSamplingIntervalsWeighEachReadingByTheTimeToTheNext() {
        ExposureFigures f = TWO_TO_EIGHT.measure(Steps.start().minutes(4, 30).minutes(12, 5).minutes(6, 85).close(6));

        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(5));
        assertThat(f.degreeMinutesAbove()).isCloseTo((12 - 8) * 5.0, within(EXACT)); // 20
        assertThat(f.degreeMinutesBelow()).isZero();
        // mkt([(4,30),(12,5),(6,85)]) = 5.921117857966408
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(5.921117857966408, within(MKT_TOLERANCE));
        assertThat(f.covered()).isEqualTo(Duration.ofMinutes(120));
    }

    @Test
    void aGapIsAttributedToTheReadingBeforeIt() {
        // 5 °C at 08:00, 9 °C at 08:10, then nothing for 6 hours: step interpolation holds 9 °C until 14:10
        ExposureFigures f = TWO_TO_EIGHT.measure(List.of(
                ExposureReading.of(at(0), 5), ExposureReading.of(at(10), 9),
                ExposureReading.of(at(370), 4), ExposureReading.of(at(380), 4)));

        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofHours(6));
        assertThat(f.torSeconds()).isEqualTo(21_600.0);
        assertThat(f.degreeMinutesAbove()).isCloseTo((9 - 8) * 360.0, within(EXACT)); // 360
        // mkt([(5,10),(9,360),(4,10)]) = 8.81537410859454
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(8.81537410859454, within(MKT_TOLERANCE));
    }

    @Test
    void excursionsOnBothSidesAreCountedSeparately() {
        ExposureFigures f = TWO_TO_EIGHT.measure(Steps.start().minutes(1, 15).minutes(10, 20).minutes(5, 25).close(5));

        assertThat(f.timeBelow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(f.timeAbove()).isEqualTo(Duration.ofMinutes(20));
        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(35));
        assertThat(f.degreeMinutesBelow()).isCloseTo((2 - 1) * 15.0, within(EXACT)); // 15
        assertThat(f.degreeMinutesAbove()).isCloseTo((10 - 8) * 20.0, within(EXACT)); // 40
        assertThat(f.degreeMinutesOutOfRange()).isCloseTo(55.0, within(EXACT));
        // mkt([(1,15),(10,20),(5,25)]) = 6.375563116323633
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(6.375563116323633, within(MKT_TOLERANCE));
    }

    @Test
    void secondLevelIntervalsGiveFractionalDegreeMinutes() {
        ExposureFigures f = TWO_TO_EIGHT.measure(Steps.start().seconds(3, 37).seconds(8.5, 90).seconds(7, 60).close(7));

        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofSeconds(90));
        assertThat(f.degreeMinutesAbove()).isCloseTo(0.5 * 1.5, within(EXACT)); // 0.75
        // mkt([(3,37/60),(8.5,90/60),(7,1)]) = 7.162349879332055
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(7.162349879332055, within(MKT_TOLERANCE));
        assertThat(f.covered()).isEqualTo(Duration.ofSeconds(187));
    }

    @Test
    void frozenBandHasOnlyAnUpperBound() {
        ExposureCalculator frozen = ExposureCalculator.forBand(TemperatureBand.atMost(-18));

        ExposureFigures f = frozen.measure(Steps.start().minutes(-20, 60).minutes(-15, 20).minutes(-22, 40).close(-20));

        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(20));
        assertThat(f.degreeMinutesAbove()).isCloseTo((-15 - -18) * 20.0, within(EXACT)); // 60
        assertThat(f.timeBelow()).isZero(); // -22 °C is in range: no lower bound
        assertThat(f.degreeMinutesBelow()).isZero();
        // mkt([(-20,60),(-15,20),(-22,40)]) = -19.378543715029508
        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(-19.378543715029508, within(MKT_TOLERANCE));
    }

    @Test
    void readingsEqualToABoundAreInRange() {
        ExposureFigures f = TWO_TO_EIGHT.measure(Steps.start().minutes(2, 30).minutes(8, 30).close(8));

        assertThat(f.timeOutOfRange()).isZero();
        assertThat(f.degreeMinutesAbove()).isZero();
        assertThat(f.degreeMinutesBelow()).isZero();
    }

    @Test
    void longSeriesKeepsMktAccurate() {
        // 200,000 one-minute steps alternating 5 °C and 25 °C plus a closing reading: equal weights of each, so the
        // MKT is the two-reading golden value, mkt([(5,10),(25,10)]) = 19.69772136370875
        List<ExposureReading> readings = new ArrayList<>();
        for (int i = 0; i <= 200_000; i++) {
            readings.add(ExposureReading.of(at(i), i % 2 == 0 ? 5 : 25));
        }
        ExposureFigures f = TWO_TO_EIGHT.measure(readings);

        assertThat(f.mktCelsius().getAsDouble()).isCloseTo(19.69772136370875, within(MKT_TOLERANCE));
        assertThat(f.timeOutOfRange()).isEqualTo(Duration.ofMinutes(100_000));
        assertThat(f.degreeMinutesAbove()).isCloseTo(17.0 * 100_000, within(1e-6));
    }

    @Test
    void yearLongConstantSeriesHasMktEqualToThatTemperature() {
        List<ExposureReading> readings = new ArrayList<>();
        for (int i = 0; i <= 525_600; i++) {
            readings.add(ExposureReading.of(at(i), 4.2));
        }
        assertThat(TWO_TO_EIGHT.measure(readings).mktCelsius().getAsDouble()).isCloseTo(4.2, within(1e-9));
    }

    @Test
    void emptyFiguresAreZerosWithoutMkt() {
        ExposureFigures f = TWO_TO_EIGHT.measure(List.of());

        assertThat(f).isEqualTo(ExposureFigures.none(TemperatureBand.between(2, 8)));
        assertThat(f.readings()).isZero();
        assertThat(f.torSeconds()).isZero();
        assertThat(f.degreeMinutesAbove()).isZero();
        assertThat(f.degreeMinutesBelow()).isZero();
        assertThat(f.mktCelsius()).isEmpty();
        assertThat(f.maxCelsius()).isEmpty();
        assertThat(f.firstTime()).isEqualTo(Optional.empty());
    }

    @Test
    void oneReadingIsZerosWithoutMkt() {
        ExposureFigures f = TWO_TO_EIGHT.measure(List.of(ExposureReading.of(T0, 30)));

        assertThat(f.readings()).isEqualTo(1);
        assertThat(f.timeOutOfRange()).isZero();
        assertThat(f.degreeMinutesAbove()).isZero();
        assertThat(f.covered()).isZero();
        assertThat(f.mktCelsius()).isEmpty();
        assertThat(f.maxCelsius()).isEqualTo(OptionalDouble.of(30));
        assertThat(f.firstTime()).contains(T0);
        assertThat(f.lastTime()).contains(T0);
    }

    @Test
    void duplicatesOfOneReadingAreStillOneReading() {
        ExposureFigures f = TWO_TO_EIGHT.measure(List.of(ExposureReading.of(T0, 30), ExposureReading.of(T0, 30)));

        assertThat(f.readings()).isEqualTo(1);
        assertThat(f.mktCelsius()).isEmpty();
    }
}
