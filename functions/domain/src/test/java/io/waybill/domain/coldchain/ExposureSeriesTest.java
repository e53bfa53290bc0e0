package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static io.waybill.domain.coldchain.Steps.T0;
import static io.waybill.domain.coldchain.Steps.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExposureSeriesTest {
    @Test
    void readingsAreSortedByTimeAndEachHoldsUntilTheNext() {
        ExposureSeries s = ExposureSeries.of(List.of(
                ExposureReading.of(at(45), 6), ExposureReading.of(at(0), 4), ExposureReading.of(at(30), 12)));

        assertThat(s.readings()).extracting(ExposureReading::celsius).containsExactly(4.0, 12.0, 6.0);
        assertThat(s.weightOf(0)).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.weightOf(1)).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.weightOf(2)).as("the last reading only closes the series").isZero();
        assertThat(s.coveredDuration()).isEqualTo(Duration.ofMinutes(45));
        assertThat(s.firstTime()).contains(T0);
        assertThat(s.lastTime()).contains(at(45));
    }

    @Test
    void sameTimeCollapsesToTheHighestCelsius() {
        ExposureSeries s = ExposureSeries.of(List.of(ExposureReading.of(T0, 3), ExposureReading.of(T0, 7.5),
                ExposureReading.of(T0, 3)));

        assertThat(s.readings()).containsExactly(ExposureReading.of(T0, 7.5));
    }

    @Test
    void positiveZeroWinsOverNegativeZeroDeterministically() {
        ExposureSeries a = ExposureSeries.of(List.of(ExposureReading.of(T0, -0.0), ExposureReading.of(T0, 0.0)));
        ExposureSeries b = ExposureSeries.of(List.of(ExposureReading.of(T0, 0.0), ExposureReading.of(T0, -0.0)));

        assertThat(a).isEqualTo(b);
        assertThat(Double.doubleToRawLongBits(a.readings().get(0).celsius())).isEqualTo(Double.doubleToRawLongBits(0.0));
    }

    @Test
    void emptyInputIsTheEmptySeries() {
        ExposureSeries s = ExposureSeries.of(List.of());

        assertThat(s.isEmpty()).isTrue();
        assertThat(s.coveredDuration()).isZero();
        assertThat(s.firstTime()).isEmpty();
        assertThat(s).isEqualTo(ExposureSeries.empty());
    }

    @Test
    void nullReadingIsRejected() {
        assertThatThrownBy(() -> ExposureSeries.of(Arrays.asList(ExposureReading.of(T0, 5), null)))
                .isInstanceOf(NullPointerException.class);
    }
}
