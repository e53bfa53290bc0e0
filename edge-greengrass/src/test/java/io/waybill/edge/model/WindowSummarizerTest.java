package io.waybill.edge.model;

import io.waybill.domain.event.ExposureStatistics;
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
        assertThat(w0.exposure()).usingRecursiveComparison().ignoringFields("arrheniusSum")
                .isEqualTo(new ExposureStatistics(2.0, 8.0, 120, 300_000, 0, 60_000, 60_000, 1.0, 1.0, 0.0));
        assertThat(w0.exposure().arrheniusSum()).isCloseTo(60 * arrhenius(5) + 60 * arrhenius(6)
                + 60 * arrhenius(9) + 60 * arrhenius(7) + 60 * arrhenius(1), withinRelative());

        WindowSummary w1 = out.get(1);
        assertThat(w1.periodStart()).isEqualTo(t("05:00"));
        assertThat(w1.firstReadingAt()).isEqualTo(t("05:00"));
        assertThat(w1.lastReadingAt()).isEqualTo(t("09:30"));
        assertThat(w1.minCelsius()).isEqualTo(4.0);
        assertThat(w1.maxCelsius()).isEqualTo(9.0);
        assertThat(w1.meanCelsius()).isCloseTo(21.5 / 3, within(1e-12));
        assertThat(w1.readingCount()).isEqualTo(3);
        // 8.5 held 120 s (gap cap, 90 s unknown) + the 9.0 of 09:30 held 60 s until 10:30, counted in its window
        assertThat(w1.bandTime()).isEqualTo(new BandTime(180, 0));
        assertThat(w1.exposure().observedMillis()).isEqualTo(240_000); // 60 + 120 + 60 s
        assertThat(w1.exposure().unknownMillis()).isEqualTo(90_000);   // 210 - 120 s
        assertThat(w1.exposure().aboveMillis()).isEqualTo(180_000);
        assertThat(w1.exposure().belowMillis()).isZero();
        assertThat(w1.exposure().degreeMinutesAbove()).isCloseTo(2.0, within(1e-12)); // 0.5 x 2 + 1 x 1
        assertThat(w1.exposure().degreeMinutesBelow()).isZero();
        assertThat(w1.exposure().arrheniusSum())
                .isCloseTo(60 * arrhenius(4) + 120 * arrhenius(8.5) + 60 * arrhenius(9), withinRelative());

        WindowSummary w2 = out.get(2);
        assertThat(w2.periodStart()).isEqualTo(t("10:00"));
        assertThat(w2.firstReadingAt()).isEqualTo(t("10:30"));
        assertThat(w2.lastReadingAt()).isEqualTo(t("11:30"));
        assertThat(w2.readingCount()).isEqualTo(2);
        assertThat(w2.meanCelsius()).isEqualTo(5.0);
        assertThat(w2.bandTime()).isEqualTo(BandTime.NONE); // the 9.0 of 09:30 counted in its own window
        assertThat(w2.exposure().observedMillis()).isEqualTo(60_000); // the flushed last reading holds nothing
        assertThat(w2.exposure().unknownMillis()).isZero();
        assertThat(w2.exposure().arrheniusSum()).isCloseTo(60 * arrhenius(5), withinRelative());

        TemperatureObserved observed = w1.toTemperatureObserved(SSCC, "reefer-01-ra", 2);
        // the payload's Arrhenius sum has 10 significant digits
        assertThat(observed).usingRecursiveComparison().ignoringFields("exposure.arrheniusSum").isEqualTo(
                new TemperatureObserved(SSCC, "reefer-01-ra", t("05:00"), t("09:30"), 4.0, 9.0, 7.17, 3, null,
                        w1.exposure()));
        assertThat(observed.exposure().arrheniusSum()).isCloseTo(w1.exposure().arrheniusSum(),
                within(w1.exposure().arrheniusSum() * 5e-10));
    }

    @Test
    void mergeKeepsTheExtremesWeighsTheMeanAndAddsTheExposure() {
        WindowSummary a = new WindowSummary("p", t("00:00"), t("05:00"), t("00:00"), t("04:30"), 4.0, 6.0, 5.0,
                10, new ExposureStatistics(2.0, 8.0, 120, 300_000, 0, 0, 30_000, 0.0, 0.25, 1.5e-14));
        WindowSummary b = new WindowSummary("p", t("05:00"), t("10:00"), t("05:00"), t("09:30"), 3.0, 12.0, 8.0,
                5, new ExposureStatistics(2.0, 8.0, 120, 240_000, 60_000, 90_000, 0, 3.0, 0.0, 0.5e-14));

        WindowSummary m = a.merge(b);

        // mean (5 x 10 + 8 x 5) / 15 = 6; every exposure field added: 300 + 240 s observed, 60 s unknown, ...
        assertThat(m).isEqualTo(new WindowSummary("p", t("00:00"), t("10:00"), t("00:00"), t("09:30"), 3.0, 12.0,
                6.0, 15, new ExposureStatistics(2.0, 8.0, 120, 540_000, 60_000, 90_000, 30_000, 3.0, 0.25,
                1.5e-14 + 0.5e-14)));
        assertThat(m.bandTime()).isEqualTo(new BandTime(90, 30));
        assertThatThrownBy(() -> b.merge(a)).isInstanceOf(IllegalArgumentException.class);
        WindowSummary otherGap = new WindowSummary("p", t("10:00"), t("15:00"), t("10:00"), t("10:00"), 5.0, 5.0,
                5.0, 1, new ExposureStatistics(2.0, 8.0, 60, 0, 0, 0, 0, 0.0, 0.0, 0.0));
        assertThatThrownBy(() -> b.merge(otherGap)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gap limits");
    }

    @Test
    void bandTimeIsTheExposureInWholeSecondsRoundedDown() {
        WindowSummary s = new WindowSummary("p", t("00:00"), t("05:00"), t("00:00"), t("04:30"), 1.0, 9.0, 5.0,
                10, new ExposureStatistics(2.0, 8.0, 120, 300_000, 0, 59_999, 1_001, 0.5, 0.01, 1e-14));

        assertThat(s.bandTime()).isEqualTo(new BandTime(59, 1));
    }

    @Test
    void aFrozenBandHasNoLowBoundAndNothingBelowIt() {
        WindowSummarizer windows = new WindowSummarizer(ProductBand.FROZEN);
        windows.accept(new TemperatureReading("p", t("00:00"), -25.0));
        windows.accept(new TemperatureReading("p", t("01:00"), -15.0));
        windows.accept(new TemperatureReading("p", t("02:00"), -18.0));

        // -25 held 60 s (in range), -15 held 60 s, 3 °C over -18 -> 3 °C·min; -18 is the bound: in range, flushed
        assertThat(windows.flush()).hasValueSatisfying(w -> {
            assertThat(w.exposure().bandLowCelsius()).isNull();
            assertThat(w.exposure().bandHighCelsius()).isEqualTo(-18.0);
            assertThat(w.exposure().observedMillis()).isEqualTo(120_000);
            assertThat(w.exposure().aboveMillis()).isEqualTo(60_000);
            assertThat(w.exposure().belowMillis()).isZero();
            assertThat(w.exposure().degreeMinutesAbove()).isCloseTo(3.0, within(1e-12));
        });
    }

    @Test
    void maxSampleGapIsWholeSeconds() {
        assertThatThrownBy(() -> WindowConfig.builder().maxSampleGap(Duration.ofMillis(1500)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> WindowConfig.builder().maxSampleGap(Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** e^(−10000 K / T): the Arrhenius factor of the mean kinetic temperature (ΔH/R = 10,000 K), T in kelvin. */
    static double arrhenius(double celsius) {
        return Math.exp(-10_000.0 / (celsius + 273.15));
    }

    private static org.assertj.core.data.Percentage withinRelative() {
        return org.assertj.core.data.Percentage.withPercentage(1e-10);
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
