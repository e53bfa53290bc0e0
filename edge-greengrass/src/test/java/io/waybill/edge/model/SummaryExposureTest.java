package io.waybill.edge.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureObserved;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.waybill.edge.model.WindowSummarizerTest.arrhenius;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The exposure statistics a SUMMARY carries, on a small trip worked out by hand: chilled band 2..8 °C, 5-minute
 * windows, max sample gap 2 min (the defaults), a 10-minute heartbeat (two windows per summary).
 */
class SummaryExposureTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z"); // aligned to windows and heartbeats
    private static final String SSCC = "106141412345678908";
    private static final String PROBE = "reefer-01-ra";

    private static TemperatureReading at(String mmss, double celsius) {
        String[] p = mmss.split(":");
        return new TemperatureReading(PROBE, T0.plusSeconds(Integer.parseInt(p[0]) * 60L + Integer.parseInt(p[1])),
                celsius);
    }

    /*
     * reading   value  next     gap    hold  unknown  band      °C·min
     * 00:00      5.0   01:00    60 s   60 s     0     in
     * 01:00      9.0   02:00    60 s   60 s     0     above 1   1 x 1 = 1
     * 02:00     10.0   03:00    60 s   60 s     0     above 2   2 x 1 = 2
     * 03:00      1.0   04:00    60 s   60 s     0     below 1   1 x 1 = 1
     * 04:00      8.0   07:30   210 s  120 s   90 s    in (= the high bound), its hold reaches past 05:00: window 0
     * ---- window 1 [05:00, 10:00)
     * 07:30      2.0   08:30    60 s   60 s     0     in (= the low bound)
     * 08:30      1.5   09:30    60 s   60 s     0     below 0.5 0.5 x 1 = 0.5
     * 09:30      6.0   10:30    60 s   60 s     0     in, its hold reaches past 10:00: window 1
     * ---- window 2 [10:00, 15:00), the next heartbeat
     * 10:30      5.0   (flush)          0       0     the last reading before a flush holds nothing
     *
     * summary 1 (windows 0 and 1, emitted when 10:30 closes window 1, which ends the heartbeat):
     *   observed 60+60+60+60+120 + 60+60+60 = 540 s, unknown 90 s (540 + 90 = 630 s = 00:00 to 10:30)
     *   above 60+60 = 120 s, below 60+60 = 120 s, °C·min above 1+2 = 3, below 1+0.5 = 1.5
     *   min 1.0, max 10.0, count 8, mean (5+9+10+1+8+2+1.5+6) / 8 = 42.5 / 8 = 5.3125 -> 5.31
     * summary 2 (flush): one reading, all zero
     */
    private static final List<TemperatureReading> TRIP = List.of(at("00:00", 5.0), at("01:00", 9.0),
            at("02:00", 10.0), at("03:00", 1.0), at("04:00", 8.0), at("07:30", 2.0), at("08:30", 1.5),
            at("09:30", 6.0), at("10:30", 5.0));

    private static List<EdgeMessage> summaries() {
        ReeferEdgeModel model = new ReeferEdgeModel(ReeferConfig.builder().deviceId("reefer-01").shipmentSscc(SSCC)
                .band(ProductBand.CHILLED).summaryHeartbeat(Duration.ofMinutes(10)).build());
        List<EdgeMessage> out = new ArrayList<>(model.acceptAll(TRIP));
        out.addAll(model.flush());
        return out.stream().filter(m -> m.kind() == EdgeMessage.Kind.SUMMARY).toList();
    }

    @Test
    void aSummaryCarriesEveryExposureFigureOfItsReadingsHolds() {
        List<EdgeMessage> summaries = summaries();

        assertThat(summaries).hasSize(2);
        TemperatureObserved first = (TemperatureObserved) summaries.get(0).payload();
        assertThat(first.windowStart()).isEqualTo(T0);
        assertThat(first.windowEnd()).isEqualTo(T0.plusSeconds(9 * 60 + 30));
        assertThat(first.minCelsius()).isEqualTo(1.0);
        assertThat(first.maxCelsius()).isEqualTo(10.0);
        assertThat(first.meanCelsius()).isEqualTo(5.31);
        assertThat(first.readingCount()).isEqualTo(8);
        ExposureStatistics e = first.exposure();
        assertThat(e.bandLowCelsius()).isEqualTo(2.0);
        assertThat(e.bandHighCelsius()).isEqualTo(8.0);
        assertThat(e.maxGapSeconds()).isEqualTo(120);
        assertThat(e.observedMillis()).isEqualTo(540_000);
        assertThat(e.unknownMillis()).isEqualTo(90_000);
        assertThat(e.spanMillis()).isEqualTo(Duration.between(T0, TRIP.get(8).at()).toMillis());
        assertThat(e.aboveMillis()).isEqualTo(120_000);
        assertThat(e.belowMillis()).isEqualTo(120_000);
        assertThat(e.degreeMinutesAbove()).isCloseTo(3.0, within(1e-12));
        assertThat(e.degreeMinutesBelow()).isCloseTo(1.5, within(1e-12));
        double arrheniusSum = 60 * arrhenius(5.0) + 60 * arrhenius(9.0) + 60 * arrhenius(10.0) + 60 * arrhenius(1.0)
                + 120 * arrhenius(8.0) + 60 * arrhenius(2.0) + 60 * arrhenius(1.5) + 60 * arrhenius(6.0);
        // the payload carries it to 10 significant digits
        assertThat(e.arrheniusSum()).isCloseTo(arrheniusSum, within(arrheniusSum * 1e-9));
        assertThat(summaries.get(0).bandTime()).isEqualTo(new BandTime(120, 120));

        TemperatureObserved last = (TemperatureObserved) summaries.get(1).payload();
        assertThat(last.readingCount()).isEqualTo(1);
        assertThat(last.exposure()).isEqualTo(new ExposureStatistics(2.0, 8.0, 120, 0, 0, 0, 0, 0.0, 0.0, 0.0));
        assertThat(summaries.get(1).bandTime()).isEqualTo(BandTime.NONE);
    }

    @Test
    void theSummaryMessageCarriesTheExposureInItsPayloadAndReadsBackTheSame() {
        EdgeMessage summary = summaries().get(0);

        JsonNode json = CanonicalEventJson.MAPPER.valueToTree(summary);
        JsonNode exposure = json.path("payload").path("exposure");
        assertThat(exposure.path("observedMillis").asLong()).isEqualTo(540_000);
        assertThat(exposure.path("unknownMillis").asLong()).isEqualTo(90_000);
        assertThat(exposure.path("maxGapSeconds").asLong()).isEqualTo(120);
        assertThat(exposure.path("bandLowCelsius").asDouble()).isEqualTo(2.0);
        assertThat(json.path("bandTime").path("secondsAboveBand").asLong()).isEqualTo(120);
        assertThat(EdgeMessageJson.fromBytes(EdgeMessageJson.toBytes(summary))).isEqualTo(summary);
    }
}
