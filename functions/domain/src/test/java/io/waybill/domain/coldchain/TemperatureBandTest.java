package io.waybill.domain.coldchain;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemperatureBandTest {
    @Test
    void boundsAreInRange() {
        TemperatureBand band = TemperatureBand.between(2, 8);

        assertThat(band.contains(2)).isTrue();
        assertThat(band.contains(8)).isTrue();
        assertThat(band.isAbove(8.000001)).isTrue();
        assertThat(band.isBelow(1.999999)).isTrue();
        assertThat(band.lowerBound()).isEqualTo(OptionalDouble.of(2));
        assertThat(band.upperBound()).isEqualTo(OptionalDouble.of(8));
        assertThat(band).hasToString("2.0..8.0 °C");
    }

    @Test
    void frozenBandHasNoLowerBound() {
        TemperatureBand frozen = TemperatureBand.atMost(-18);

        assertThat(frozen.lowerBound()).isEmpty();
        assertThat(frozen.upperBound()).isEqualTo(OptionalDouble.of(-18));
        assertThat(frozen.contains(-80)).isTrue();
        assertThat(frozen.contains(-18)).isTrue();
        assertThat(frozen.isAbove(-17.9)).isTrue();
        assertThat(frozen).hasToString("≤ -18.0 °C");
    }

    @Test
    void atLeastHasNoUpperBound() {
        TemperatureBand warm = TemperatureBand.atLeast(15);

        assertThat(warm.upperBound()).isEmpty();
        assertThat(warm.contains(1_000)).isTrue();
        assertThat(warm.isBelow(14)).isTrue();
    }

    @Test
    void invalidBandsAreRejected() {
        assertThatThrownBy(() -> TemperatureBand.between(8, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("above its high bound");
        assertThatThrownBy(() -> TemperatureBand.between(Double.NaN, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TemperatureBand.atMost(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TemperatureBand(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one bound");
    }

    @Test
    void negativeZeroBoundEqualsZeroBound() {
        assertThat(TemperatureBand.between(-0.0, 8)).isEqualTo(TemperatureBand.between(0.0, 8));
    }

    @Test
    void distanceOutsideIsHowFarBeyondTheNearestBound() {
        TemperatureBand chilled = TemperatureBand.between(2, 8);
        org.assertj.core.api.Assertions.assertThat(chilled.distanceOutside(9.5)).isEqualTo(1.5);
        org.assertj.core.api.Assertions.assertThat(chilled.distanceOutside(1.0)).isEqualTo(1.0);
        org.assertj.core.api.Assertions.assertThat(chilled.distanceOutside(8.0)).isZero();
        org.assertj.core.api.Assertions.assertThat(TemperatureBand.atMost(-18).distanceOutside(-10)).isEqualTo(8.0);
        org.assertj.core.api.Assertions.assertThat(TemperatureBand.atMost(-18).distanceOutside(-40)).isZero();
    }
}
