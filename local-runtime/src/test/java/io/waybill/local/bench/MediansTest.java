package io.waybill.local.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MediansTest {
    @Test
    void oddCountIsTheMiddleValueOfTheSorted() {
        // sorted 310 320 333 350 900: the third
        assertThat(Medians.of(new double[] {900, 320, 350, 310, 333})).isEqualTo(333);
    }

    @Test
    void evenCountIsTheMeanOfTheTwoMiddleValues() {
        // sorted 10 20 30 1000: (20 + 30) / 2 = 25
        assertThat(Medians.of(new double[] {1000, 30, 10, 20})).isEqualTo(25);
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Medians.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
