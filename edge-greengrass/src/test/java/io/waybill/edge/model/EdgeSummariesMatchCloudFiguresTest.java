package io.waybill.edge.model;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.ExposureFigures;
import io.waybill.domain.coldchain.ExposureFold;
import io.waybill.domain.coldchain.ProductClass;
import io.waybill.domain.event.TemperatureObserved;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The check, across the two implementations: the cloud's figures over a trip known only through the edge's
 * summaries (their exposure statistics, computed by the edge's {@link WindowSummarizer}) equal the cloud's figures over
 * the same trip's raw readings (computed by the cloud's own fold, {@link ExposureFold}), to rounding. Two independent
 * codes for the same definition: a mistake in either breaks the equality.
 */
class EdgeSummariesMatchCloudFiguresTest {
    private static final String SSCC = "106141412345678908";
    private static final ProductClass CHILLED = ProductClass.CHILLED_BIOLOGICS_2_8;

    @Test
    void summariesAndRawReadingsGiveTheSameFiguresInTheCloud() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            WindowSummarizer summarizer = new WindowSummarizer(ProductBand.of("chilled", 2, 8), WindowConfig.builder()
                    .window(Duration.ofMinutes(5)).maxSampleGap(CHILLED.policy().maxInterpolationGap()).build());
            List<ExposureEvidence> raw = new ArrayList<>();
            List<WindowSummary> windows = new ArrayList<>();
            Instant t = Instant.parse("2026-03-02T00:00:00Z").plusSeconds(rnd.nextInt(300));
            double c = 5.0;
            for (int i = 0; i < 2000; i++) {
                c = Math.max(-3, Math.min(14, c + (rnd.nextDouble() - 0.5) * 2));
                double celsius = Math.round(c * 100) / 100.0;
                raw.add(new ExposureEvidence("r" + i, SSCC, "probe", ExposureEvidence.Kind.POINT, t, t, celsius, 0));
                windows.addAll(summarizer.accept(new TemperatureReading("probe", t, celsius)));
                // mostly 30 s, sometimes a silence longer than the 15-minute interpolation limit
                t = t.plusSeconds(rnd.nextInt(40) == 0 ? 1200 + rnd.nextInt(3600) : 30);
            }
            summarizer.flush().ifPresent(windows::add);
            List<ExposureEvidence> summaries = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                TemperatureObserved o = windows.get(i).toTemperatureObserved(SSCC, "probe", 2);
                summaries.add(new ExposureEvidence("s" + i, SSCC, "probe", ExposureEvidence.Kind.WINDOW,
                        o.windowStart(), o.windowEnd(), o.meanCelsius(), 0, "probe", o.minCelsius(), o.maxCelsius(),
                        o.readingCount(), o.exposure(), "probe", null));
            }

            ExposureFigures fromRaw = ExposureFold.of(SSCC, CHILLED, raw).probe("probe").figures(CHILLED.band());
            ExposureFigures fromSummaries = ExposureFold.of(SSCC, CHILLED, summaries).probe("probe")
                    .figures(CHILLED.band());

            assertThat(fromSummaries.timeAbove()).as("seed %d above", seed).isEqualTo(fromRaw.timeAbove());
            assertThat(fromSummaries.timeBelow()).as("seed %d below", seed).isEqualTo(fromRaw.timeBelow());
            assertThat(fromSummaries.unknown()).as("seed %d unknown", seed).isEqualTo(fromRaw.unknown());
            assertThat(fromSummaries.covered()).as("seed %d covered", seed).isEqualTo(fromRaw.covered());
            assertThat(fromSummaries.readings()).isEqualTo(fromRaw.readings());
            assertThat(fromSummaries.degreeMinutesAbove()).isCloseTo(fromRaw.degreeMinutesAbove(), within(1e-3));
            assertThat(fromSummaries.degreeMinutesBelow()).isCloseTo(fromRaw.degreeMinutesBelow(), within(1e-3));
            assertThat(fromSummaries.mktCelsius().getAsDouble())
                    .isCloseTo(fromRaw.mktCelsius().getAsDouble(), within(1e-6));
            assertThat(fromSummaries.maxCelsius()).isEqualTo(fromRaw.maxCelsius());
            assertThat(fromSummaries.minCelsius()).isEqualTo(fromRaw.minCelsius());
        }
    }
}
