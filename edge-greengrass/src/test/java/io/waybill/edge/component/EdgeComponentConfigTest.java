package io.waybill.edge.component;

import io.waybill.edge.model.ProductBand;
import io.waybill.edge.testing.Expected;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeComponentConfigTest {

    @Test
    void configurationJsonOverridesOnlyWhatItNames() {
        EdgeComponentConfig c = EdgeComponentConfig.fromJson("""
                {"thingName": "reefer-9", "shipmentSscc": "106141412345678908",
                 "productBand": {"name": "frozen", "minCelsius": null, "maxCelsius": -18},
                 "excursion": {"minDuration": "PT10M"}, "summaryHeartbeat": "PT1H",
                 "spool": {"maxBytes": "8388608"}}""", null, null);

        assertThat(c.band()).isEqualTo(ProductBand.FROZEN);
        assertThat(c.excursion().minDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.excursion().exitDuration()).isEqualTo(EdgeComponentConfig.DEFAULT_EXCURSION.exitDuration());
        assertThat(c.summaryHeartbeat()).isEqualTo(Duration.ofHours(1));
        assertThat(c.spoolMaxBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(c.uplinkTopic()).isEqualTo("dt/waybill/waybill-edge/reefer-9");
        assertThat(c.reeferConfig(7).firstSequence()).isEqualTo(7);
    }

    @Test
    void commandLineThingNameWinsOverAnUninterpolatedRecipeVariable() {
        EdgeComponentConfig c = EdgeComponentConfig.fromJson(
                "{\"thingName\": \"{iot:thingName}\", \"shipmentSscc\": \"\"}", "reefer-1", Expected.SSCC);
        assertThat(c.thingName()).isEqualTo("reefer-1");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"thingName\": \"{iot:thingName}\"}", null,
                Expected.SSCC)).hasMessageContaining("thingName is required");
    }

    @Test
    void badConfigurationFailsAtStartupNamingTheKey() {
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"windowLenght\": \"PT5M\"}", "r", Expected.SSCC))
                .hasMessageContaining("unknown configuration key windowLenght");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"shipmentSscc\": \"\"}", "r", null))
                .hasMessageContaining("shipmentSscc is required");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"windowLength\": \"5 minutes\"}", "r",
                Expected.SSCC)).hasMessageContaining("windowLength must be an ISO-8601 duration");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"summaryHeartbeat\": \"PT7M\"}", "r",
                Expected.SSCC)).hasMessageContaining("multiple of the window");
        assertThatThrownBy(() -> EdgeComponentConfig.builder("a/b", Expected.SSCC).build())
                .hasMessageContaining("must not contain");
    }

    @Test
    void sensorIdIsTheLevelOfThePlusInTheSensorTopic() {
        EdgeComponentConfig c = EdgeComponentConfig.builder("r", Expected.SSCC).build();
        assertThat(c.sensorIdOf("sensors/ra-1/temperature")).isEqualTo("ra-1");
        assertThat(c.sensorIdOf("sensors/ra-1/humidity")).isNull();
        assertThat(c.sensorIdOf("sensors/ra-1/temperature/x")).isNull();
    }
}
