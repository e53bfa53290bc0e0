package io.waybill.modelserver.deepar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MissingValuesTest {
    private static final double NaN = Double.NaN;

    @Test
    void leadingDroppedInteriorInterpolatedTrailingCarriedForward() {
        assertThat(MissingValues.fill(new double[] {NaN, NaN, 2, NaN, NaN, 8, 5, NaN, NaN}))
                .containsExactly(2, 4, 6, 8, 5, 5, 5);
    }

    @Test
    void allMissingIsABadRequest() {
        assertThatThrownBy(() -> MissingValues.fill(new double[] {NaN, NaN})).isInstanceOf(BadRequest.class)
                .hasMessageContaining("NaN");
    }
}
