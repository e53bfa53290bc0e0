package io.waybill.domain.coldchain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static io.waybill.domain.coldchain.Steps.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ExposureReadingTest {
    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void nonFiniteCelsiusIsRejectedNamingTheReading(double celsius) {
        InvalidReadingException e = catchThrowableOfType(InvalidReadingException.class,
                () -> ExposureReading.of(T0, celsius));

        assertThat(e).hasMessage("reading at 2026-03-01T08:00:00Z: celsius is " + celsius
                + ", expected a finite number");
        assertThat(e.time()).isEqualTo(T0);
        assertThat(Double.compare(e.celsius(), celsius)).isZero();
    }

    @Test
    void celsiusAtOrBelowAbsoluteZeroIsRejected() {
        assertThatThrownBy(() -> ExposureReading.of(T0, -273.15))
                .isInstanceOf(InvalidReadingException.class)
                .hasMessageContaining("absolute zero");
        assertThat(ExposureReading.of(T0, -273.0).celsius()).isEqualTo(-273.0);
    }

    @Test
    void timeIsRequired() {
        assertThatThrownBy(() -> ExposureReading.of(null, 5)).isInstanceOf(NullPointerException.class)
                .hasMessage("time");
    }
}
