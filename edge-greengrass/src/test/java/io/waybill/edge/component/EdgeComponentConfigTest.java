package io.waybill.edge.component;

import io.waybill.domain.event.ConveyorJammed;
import io.waybill.edge.model.JamConfig;
import io.waybill.edge.model.ProductBand;
import io.waybill.edge.model.ProductSensitivity;
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
        assertThat(c.uplinkTopic()).isEqualTo("dt/waybill/dev/waybill-edge/reefer-9");
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
    void configurationWithoutAShipmentIsValidAndUnassigned() {
        EdgeComponentConfig c = EdgeComponentConfig.fromJson("{\"shipmentSscc\": \"\", \"stage\": \"prod\"}", "r",
                null);
        assertThat(c.assigned()).isFalse();
        assertThat(c.shipmentSscc()).isNull();
        assertThat(c.uplinkTopic()).isEqualTo("dt/waybill/prod/waybill-edge/r");
        assertThatThrownBy(() -> c.reeferConfig(0)).isInstanceOf(IllegalStateException.class);
        // the trip settings are still checked at startup, without a shipment
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"summaryHeartbeat\": \"PT7M\"}", "r", null))
                .hasMessageContaining("multiple of the window");
    }

    @Test
    void badConfigurationFailsAtStartupNamingTheKey() {
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"windowLenght\": \"PT5M\"}", "r", Expected.SSCC))
                .hasMessageContaining("unknown configuration key windowLenght");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"shipmentSscc\": \"106141412345678907\"}", "r",
                null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shipmentSscc");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"stage\": \"Prod\"}", "r", null))
                .hasMessageContaining("stage 'Prod' must match");
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

    @Test
    void conveyorMonitoringIsOnByDefaultOnTheVibrationTopicInMillimetresPerSecond() {
        EdgeComponentConfig c = EdgeComponentConfig.builder("hub-1", Expected.SSCC).build();

        assertThat(c.conveyor()).isEqualTo(EdgeComponentConfig.DEFAULT_CONVEYOR);
        assertThat(c.conveyor().enabled()).isTrue();
        assertThat(c.conveyor().sensorTopic()).isEqualTo("sensors/+/vibration");
        assertThat(c.conveyorConfig().unit()).isEqualTo(ConveyorJammed.SignalUnit.MM_PER_S);
        assertThat(c.conveyorConfig().jam()).isEqualTo(JamConfig.defaults());
        assertThat(c.conveyorConfig().facilityGln()).isNull();
        assertThat(c.conveyorSensorIdOf("sensors/sorter-3-drive-2/vibration")).isEqualTo("sorter-3-drive-2");
        assertThat(c.conveyorSensorIdOf("sensors/sorter-3-drive-2/temperature")).isNull();
        assertThat(c.sensorIdOf("sensors/sorter-3-drive-2/vibration")).isNull();
    }

    @Test
    void conveyorSectionOverridesOnlyWhatItNamesAndAnEmptyTopicTurnsItOff() {
        EdgeComponentConfig c = EdgeComponentConfig.fromJson("""
                {"conveyor": {"sensorTopic": "drives/+/current", "unit": "A",
                              "facilityGln": "urn:epc:id:sgln:4012345.00000.0",
                              "jam": {"maxSamplesToDetect": 3, "clearSamples": "20"}}}""", "hub-1", Expected.SSCC);

        assertThat(c.conveyor().sensorTopic()).isEqualTo("drives/+/current");
        assertThat(c.conveyorConfig().unit()).isEqualTo(ConveyorJammed.SignalUnit.A);
        assertThat(c.conveyorConfig().facilityGln()).isEqualTo("4012345000009");
        assertThat(c.conveyorConfig().jam()).isEqualTo(JamConfig.builder().maxSamplesToDetect(3).clearSamples(20)
                .build());
        assertThat(c.conveyorConfig().deviceId()).isEqualTo("hub-1");

        EdgeComponentConfig off = EdgeComponentConfig.fromJson("{\"conveyor\": {\"sensorTopic\": \"\"}}", "hub-1",
                Expected.SSCC);
        assertThat(off.conveyor().enabled()).isFalse();
        assertThat(off.conveyorSensorIdOf("sensors/d-1/vibration")).isNull();
    }

    @Test
    void badConveyorSectionFailsAtStartupNamingTheKey() {
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"conveyor\": {\"jam\": {\"warmup\": 10}}}", "r",
                Expected.SSCC)).hasMessageContaining("unknown configuration key conveyor.jam.warmup");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"conveyor\": {\"unit\": \"mA\"}}", "r",
                Expected.SSCC)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mA");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"conveyor\": {\"facilityGln\": \"4012345000008\"}}",
                "r", Expected.SSCC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conveyor.facilityGln");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"conveyor\": {\"sensorTopic\": \"sensors/+/+\"}}",
                "r", Expected.SSCC)).hasMessageContaining("conveyor.sensorTopic");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson(
                "{\"conveyor\": {\"sensorTopic\": \"sensors/drive-1/+\"}}", "r", Expected.SSCC))
                .hasMessageContaining("overlaps sensorTopic");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"conveyor\": {\"jam\": {\"clearSamples\": 2.5}}}",
                "r", Expected.SSCC)).hasMessageContaining("clearSamples must be a whole number");
    }

    @Test
    void aProductClassGivesTheBandAndTheSummarizersSampleGap() {
        EdgeComponentConfig c = EdgeComponentConfig.fromJson("""
                {"productClass": "frozen"}""", "reefer-9", Expected.SSCC);

        // frozen in the default catalog: at most -18 °C, no lower bound; the policy's gap 15 min
        assertThat(c.band()).isEqualTo(new ProductBand("frozen", Double.NEGATIVE_INFINITY, -18.0,
                ProductSensitivity.STANDARD));
        assertThat(c.productClass().name()).isEqualTo("frozen");
        assertThat(c.reeferConfig(0).band()).isEqualTo(c.band());
        assertThat(c.reeferConfig(0).window().maxSampleGap()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.reeferConfig(0).window().window()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theDeploymentMayAddAClassAndItsSensitivity() {
        EdgeComponentConfig c = EdgeComponentConfig.fromJson("""
                {"productClass": "Insulin-2-8",
                 "productClasses": [{"name": "insulin-2-8", "lowCelsius": 2, "highCelsius": 8, "torBudget": "PT45M",
                                     "maxInterpolationGap": "PT4M"}],
                 "productBand": {"sensitivity": "HIGH"}}""", "reefer-9", Expected.SSCC);

        assertThat(c.band()).isEqualTo(new ProductBand("insulin-2-8", 2.0, 8.0, ProductSensitivity.HIGH));
        assertThat(c.windowConfig().maxSampleGap()).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void neitherClassNorBandMeansTheDefaultClassAndAHandSetBandMeansNoClass() {
        EdgeComponentConfig byDefault = EdgeComponentConfig.fromJson("{}", "reefer-9", Expected.SSCC);
        assertThat(byDefault.productClass().name()).isEqualTo("chilled-biologics-2-8");
        assertThat(byDefault.band()).isEqualTo(new ProductBand("chilled-biologics-2-8", 2.0, 8.0,
                ProductSensitivity.STANDARD));
        assertThat(byDefault.windowConfig().maxSampleGap()).isEqualTo(Duration.ofMinutes(15));

        EdgeComponentConfig handSet = EdgeComponentConfig.fromJson("""
                {"productClass": "", "productBand": {"name": "pharma-2-8", "minCelsius": 2, "maxCelsius": 8,
                 "sensitivity": "HIGH"}}""", "reefer-9", Expected.SSCC);
        assertThat(handSet.productClass()).isNull();
        assertThat(handSet.band()).isEqualTo(ProductBand.PHARMA_2_8);
        // without a class the summarizer keeps its own default gap (2 min)
        assertThat(handSet.windowConfig().maxSampleGap()).isEqualTo(Duration.ofMinutes(2));

        // the builder the same way: a band set by hand replaces the default class
        EdgeComponentConfig built = EdgeComponentConfig.builder("reefer-9", Expected.SSCC).band(ProductBand.FROZEN)
                .build();
        assertThat(built.productClass()).isNull();
        assertThat(built.band()).isEqualTo(ProductBand.FROZEN);
        assertThat(built.toBuilder().build()).isEqualTo(built);
        assertThat(byDefault.toBuilder().build()).isEqualTo(byDefault);
    }

    @Test
    void aClassAndABandTogetherOrAnUnknownClassFailAtStartupSayingWhatToDo() {
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("""
                {"productClass": "frozen", "productBand": {"minCelsius": null, "maxCelsius": -20}}""", "r",
                Expected.SSCC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("productBand.minCelsius conflicts with productClass 'frozen'")
                .hasMessageContaining("productClass to \"\"");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("{\"productClass\": \"deep-frozen-70\"}", "r",
                Expected.SSCC)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'deep-frozen-70' is not in the product class catalog")
                .hasMessageContaining("frozen");
        assertThatThrownBy(() -> EdgeComponentConfig.fromJson("""
                {"productClass": "x", "productClasses": [{"name": "x", "highCelsius": 8}]}""", "r", Expected.SSCC))
                .hasMessageContaining("productClasses[0] (x).torBudget is required");
        assertThatThrownBy(() -> EdgeComponentConfig.builder("r", Expected.SSCC)
                .productClass(io.waybill.domain.coldchain.ProductClass.FROZEN).band(ProductBand.CHILLED).build())
                .hasMessageContaining("conflicts with productClass 'frozen'");
    }
}
