package io.waybill.edge.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureBreached.Limit;
import io.waybill.domain.event.TemperatureObserved;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeMessageTest {
    private static final Instant T = Instant.parse("2026-03-03T09:06:00Z");
    private static final String SSCC = "106141412345678908";

    private static final EdgeMessage SUMMARY = new EdgeMessage("reefer-07", 3, T, EdgeMessage.Kind.SUMMARY,
            new TemperatureObserved(SSCC, "reefer-07-ra", T.minusSeconds(270), T, 4.6, 5.4, 5.02, 10, null), 0,
            new BandTime(0, 0), null);
    private static final EdgeMessage ALERT = new EdgeMessage("reefer-07", 4, T, EdgeMessage.Kind.ALERT,
            new TemperatureBreached(SSCC, "reefer-07-ra", 10.9, 8.0, Limit.UPPER, 300L), 27, null,
            new ExcursionInfo(1, ExcursionInfo.Phase.STARTED, T.minusSeconds(300), null, 13.0));

    @Test
    void summaryAndAlertRoundTripThroughTheCanonicalMapper() {
        assertThat(EdgeMessageJson.fromBytes(EdgeMessageJson.toBytes(SUMMARY))).isEqualTo(SUMMARY);
        assertThat(EdgeMessageJson.fromJson(EdgeMessageJson.toJson(ALERT))).isEqualTo(ALERT);
    }

    @Test
    void jsonHasTheRecordFieldsInOrderAndOmitsAbsentDetails() throws Exception {
        JsonNode alert = CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toJson(ALERT));

        assertThat(alert.fieldNames()).toIterable()
                .containsExactly("deviceId", "sequence", "deviceTime", "kind", "payload", "severity", "excursion");
        assertThat(alert.get("deviceTime").asText()).isEqualTo("2026-03-03T09:06:00Z");
        assertThat(alert.get("payload").get("limit").asText()).isEqualTo("UPPER");
        assertThat(alert.get("excursion").has("end")).isFalse();
    }

    @Test
    void aSummaryLeavesOutZeroExposureCountersAndAnEmptyBandTimeAndReadsBackTheSame() throws Exception {
        ExposureStatistics quiet = new ExposureStatistics(2.0, 8.0, 120, 270_000, 0, 0, 0, 0.0, 0.0, 7.0e-14);
        EdgeMessage summary = new EdgeMessage("reefer-07", 3, T, EdgeMessage.Kind.SUMMARY,
                ((TemperatureObserved) SUMMARY.payload()).withExposure(quiet), 0, BandTime.NONE, null);

        JsonNode json = CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toBytes(summary));

        assertThat(json.has("bandTime")).isFalse();
        assertThat(json.path("payload").path("exposure").fieldNames()).toIterable().containsExactly(
                "bandLowCelsius", "bandHighCelsius", "maxGapSeconds", "observedMillis", "arrheniusSum");
        assertThat(EdgeMessageJson.fromBytes(EdgeMessageJson.toBytes(summary))).isEqualTo(summary);

        ExposureStatistics warm = new ExposureStatistics(null, 8.0, 120, 270_000, 30_000, 60_000, 0, 1.5, 0.0,
                7.0e-14);
        EdgeMessage outside = new EdgeMessage("reefer-07", 4, T, EdgeMessage.Kind.SUMMARY,
                ((TemperatureObserved) SUMMARY.payload()).withExposure(warm), 0, new BandTime(60, 0), null);
        JsonNode warmJson = CanonicalEventJson.MAPPER.readTree(EdgeMessageJson.toBytes(outside));
        assertThat(warmJson.path("bandTime").path("secondsAboveBand").asLong()).isEqualTo(60);
        assertThat(warmJson.path("payload").path("exposure").fieldNames()).toIterable().containsExactly(
                "bandHighCelsius", "maxGapSeconds", "observedMillis", "unknownMillis", "aboveMillis",
                "degreeMinutesAbove", "arrheniusSum");
        assertThat(EdgeMessageJson.fromBytes(EdgeMessageJson.toBytes(outside))).isEqualTo(outside);
    }

    @Test
    void theSixFieldMessageHasNoDetails() {
        EdgeMessage plain = new EdgeMessage("reefer-07", 0, T, EdgeMessage.Kind.ALERT, ALERT.payload(), 5);

        assertThat(plain.bandTime()).isNull();
        assertThat(plain.excursion()).isNull();
        assertThat(EdgeMessageJson.toJson(plain)).doesNotContain("bandTime", "excursion");
    }

    @Test
    void detailsBelongToTheirKindAndSeverityIsBounded() {
        assertThatThrownBy(() -> new EdgeMessage("d", 0, T, EdgeMessage.Kind.ALERT, ALERT.payload(), 0,
                BandTime.NONE, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EdgeMessage("d", 0, T, EdgeMessage.Kind.SUMMARY, SUMMARY.payload(), 0, null,
                ALERT.excursion())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EdgeMessage("d", 0, T, EdgeMessage.Kind.ALERT, ALERT.payload(), 101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EdgeMessage("d", -1, T, EdgeMessage.Kind.ALERT, ALERT.payload(), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void somethingElseIsNotAnEdgeMessage() {
        assertThatThrownBy(() -> EdgeMessageJson.fromJson("{\"deviceId\":\"d\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> EdgeMessageJson.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EdgeMessageJson.fromJson(EdgeMessageJson.toJson(ALERT)
                .replace("\"limit\":\"UPPER\"", "\"limit\":\"UPPER\",\"x\":1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
