package io.waybill.edge.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelConfigTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        ExcursionConfig e = ExcursionConfig.defaults();
        assertThat(e.enterMarginCelsius()).isEqualTo(0.5);
        assertThat(e.exitMarginCelsius()).isEqualTo(0.5);
        assertThat(e.minDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(e.exitDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(e.updateInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(e.maxPlausibleJump(Duration.ofSeconds(10))).isEqualTo(10.0);
        assertThat(e.maxPlausibleJump(Duration.ofSeconds(1))).isEqualTo(10.0);
        assertThat(e.maxPlausibleJump(Duration.ofSeconds(30))).isEqualTo(30.0);
        assertThat(WindowConfig.defaults().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(JamConfig.defaults().maxSamplesToDetect()).isEqualTo(5);
        assertThat(SeverityConfig.defaults().criticalFrom()).isEqualTo(60);
        assertThat(ReeferConfig.DEFAULT_SUMMARY_HEARTBEAT).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void toBuilderRoundTrips() {
        ExcursionConfig e = ExcursionConfig.builder().minDuration(Duration.ofMinutes(10)).enterMarginCelsius(1)
                .build();
        assertThat(e.toBuilder().build()).isEqualTo(e);
        JamConfig j = JamConfig.builder().maxSamplesToDetect(8).build();
        assertThat(j.toBuilder().build()).isEqualTo(j);
        SeverityConfig s = SeverityConfig.builder().warningFrom(30).build();
        assertThat(s.toBuilder().build()).isEqualTo(s);
        WindowConfig w = WindowConfig.builder().window(Duration.ofMinutes(15)).build();
        assertThat(w.toBuilder().build()).isEqualTo(w);
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> ExcursionConfig.builder().enterMarginCelsius(-0.1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enterMarginCelsius");
        assertThatThrownBy(() -> ExcursionConfig.builder().minDuration(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExcursionConfig.builder().plausibleMinCelsius(80).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProductBand.of("upside-down", 8, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TemperatureReading("p", Readings.T0, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void productBandsSpeakCelsius() {
        assertThat(ProductBand.CHILLED.contains(8.0)).isTrue();
        assertThat(ProductBand.CHILLED.aboveBy(9.5)).isEqualTo(1.5);
        assertThat(ProductBand.FROZEN.belowBy(-60)).isZero();
        assertThat(ProductBand.FROZEN.hasLimit(io.waybill.domain.event.TemperatureBreached.Limit.LOWER)).isFalse();
        assertThat(ProductBand.PHARMA_2_8.sensitivity()).isEqualTo(ProductSensitivity.HIGH);
    }
}
