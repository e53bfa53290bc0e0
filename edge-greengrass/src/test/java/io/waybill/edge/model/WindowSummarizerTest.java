package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureObserved;
import io.waybill.edge.trace.TraceReader;
import io.waybill.edge.trace.TraceSample;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WindowSummarizerTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final String SSCC = "106141412345678908";

    private static Instant t(String mmss) {
        String[] p = mmss.split(":");
        return T0.plusSeconds(Integer.parseInt(p[0]) * 60L + Integer.parseInt(p[1]));
    }

    @Test
    void windowSummariesAreExactOnAHandMadeTrace() {
        // the expected values are worked out line by line in the file's comments
        List<TemperatureReading> readings = TraceReader.readResource("/traces/window-hand-made.csv").stream()
                .map(TraceSample::toTemperatureReading).toList();
        WindowSummarizer windows = new WindowSummarizer(ProductBand.CHILLED);

        List<WindowSummary> out = new ArrayList<>();
        for (TemperatureReading r : readings) {
            out.addAll(windows.accept(r));
        }
        assertThat(out).hasSize(2);
        windows.flush().ifPresent(out::add);

        WindowSummary w0 = out.get(0);
        assertThat(w0.periodStart()).isEqualTo(t("00:00"));
        assertThat(w0.periodEnd()).isEqualTo(t("05:00"));
        assertThat(w0.firstReadingAt()).isEqualTo(t("00:00"));
        assertThat(w0.lastReadingAt()).isEqualTo(t("04:00"));
        assertThat(w0.minCelsius()).isEqualTo(1.0);
        assertThat(w0.maxCelsius()).isEqualTo(9.0);
        assertThat(w0.meanCelsius()).isCloseTo(5.6, within(1e-12));
        assertThat(w0.readingCount()).isEqualTo(5);
        assertThat(w0.bandTime()).isEqualTo(new BandTime(60, 60));

        WindowSummary w1 = out.get(1);
        assertThat(w1.periodStart()).isEqualTo(t("05:00"));
        assertThat(w1.firstReadingAt()).isEqualTo(t("05:00"));
        assertThat(w1.lastReadingAt()).isEqualTo(t("09:30"));
        assertThat(w1.minCelsius()).isEqualTo(4.0);
        assertThat(w1.maxCelsius()).isEqualTo(9.0);
        assertThat(w1.meanCelsius()).isCloseTo(21.5 / 3, within(1e-12));
        assertThat(w1.readingCount()).isEqualTo(3);
        assertThat(w1.bandTime()).isEqualTo(new BandTime(150, 0)); // 8.5 held 120 s (gap cap) + 9.0 held 30 s

        WindowSummary w2 = out.get(2);
        assertThat(w2.periodStart()).isEqualTo(t("10:00"));
        assertThat(w2.firstReadingAt()).isEqualTo(t("10:30"));
        assertThat(w2.lastReadingAt()).isEqualTo(t("11:30"));
        assertThat(w2.readingCount()).isEqualTo(2);
        assertThat(w2.meanCelsius()).isEqualTo(5.0);
        assertThat(w2.bandTime()).isEqualTo(new BandTime(30, 0)); // the 9.0 of 09:30 held into this window

        TemperatureObserved observed = w1.toTemperatureObserved(SSCC, "reefer-01-ra", 2);
        assertThat(observed).isEqualTo(new TemperatureObserved(SSCC, "reefer-01-ra", t("05:00"), t("09:30"),
                4.0, 9.0, 7.17, 3, null));
    }

    @Test
    void mergeKeepsTheExtremesAndWeighsTheMean() {
        WindowSummary a = new WindowSummary("p", t("00:00"), t("05:00"), t("00:00"), t("04:30"), 4.0, 6.0, 5.0,
                10, Duration.ofSeconds(0), Duration.ofSeconds(30));
        WindowSummary b = new WindowSummary("p", t("05:00"), t("10:00"), t("05:00"), t("09:30"), 3.0, 12.0, 8.0,
                5, Duration.ofSeconds(90), Duration.ZERO);

        WindowSummary m = a.merge(b);

        assertThat(m).isEqualTo(new WindowSummary("p", t("00:00"), t("10:00"), t("00:00"), t("09:30"), 3.0, 12.0,
                6.0, 15, Duration.ofSeconds(90), Duration.ofSeconds(30)));
        assertThatThrownBy(() -> b.merge(a)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadingAtTheBoundaryOpensTheNextWindow() {
        WindowSummarizer windows = new WindowSummarizer(ProductBand.CHILLED);
        windows.accept(new TemperatureReading("p", t("04:59"), 5.0));

        List<WindowSummary> closed = windows.accept(new TemperatureReading("p", t("05:00"), 5.0));

        assertThat(closed).singleElement().satisfies(w -> assertThat(w.readingCount()).isEqualTo(1));
    }

    @Test
    void outOfOrderReadingIsIgnored() {
        WindowSummarizer windows = new WindowSummarizer(ProductBand.CHILLED);
        windows.accept(new TemperatureReading("p", t("01:00"), 5.0));

        assertThat(windows.accept(new TemperatureReading("p", t("00:30"), 30.0))).isEmpty();
        assertThat(windows.rejectedOutOfOrder()).isEqualTo(1);
        assertThat(windows.flush()).hasValueSatisfying(w -> assertThat(w.maxCelsius()).isEqualTo(5.0));
        assertThat(windows.flush()).isEmpty();
    }

    @Test
    void windowsAreAlignedAndMustDivideADay() {
        assertThatThrownBy(() -> WindowConfig.builder().window(Duration.ofMinutes(7)).build())
                .isInstanceOf(IllegalArgumentException.class);
        WindowSummarizer hourly = new WindowSummarizer(ProductBand.CHILLED,
                WindowConfig.builder().window(Duration.ofHours(1)).build());
        hourly.accept(new TemperatureReading("p", T0.plusSeconds(3599), 5.0));

        assertThat(hourly.flush()).hasValueSatisfying(w -> {
            assertThat(w.periodStart()).isEqualTo(T0);
            assertThat(w.periodEnd()).isEqualTo(T0.plusSeconds(3600));
        });
    }
}
