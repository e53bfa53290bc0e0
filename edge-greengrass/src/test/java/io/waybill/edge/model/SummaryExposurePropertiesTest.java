package io.waybill.edge.model;

import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureObserved;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The promise of {@link ExposureStatistics}: the statistics of a probe's summaries add up to those of its whole
 * trip. The expectation is a naive reference computed here directly over the raw readings (one loop over
 * consecutive pairs: hold = min(gap, limit), unknown = gap - hold, the earlier reading's value decides the side),
 * with no windows at all. Millisecond fields must be equal; the sums equal to rounding (a window's sums are not rounded;
 * a SUMMARY payload has its degree-minutes to 4 decimals and its Arrhenius sum to 10 significant digits).
 */
class SummaryExposurePropertiesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final List<Duration> WINDOWS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1));
    private static final List<Duration> GAPS = List.of(Duration.ofSeconds(30), Duration.ofMinutes(2),
            Duration.ofMinutes(15));

    /** A step of the input: a reading, or a flush (component restart) when {@code reading} is null. */
    private record Step(TemperatureReading reading) {
    }

    /** The naive whole-trip statistics of one probe. */
    private static final class Reference {
        long observed;
        long unknown;
        long above;
        long below;
        long readings;
        double degreeMinutesAbove;
        double degreeMinutesBelow;
        double arrhenius;
        TemperatureReading previous;

        void accept(TemperatureReading r, ProductBand band, long limitMillis) {
            if (previous != null && r.at().toEpochMilli() <= previous.at().toEpochMilli()) {
                return; // not after the previous reading: dropped
            }
            readings++;
            if (previous != null) {
                long gap = r.at().toEpochMilli() - previous.at().toEpochMilli();
                long hold = Math.min(gap, limitMillis);
                observed += hold;
                unknown += gap - hold;
                double c = previous.celsius();
                if (c > band.maxCelsius()) {
                    above += hold;
                    degreeMinutesAbove += (c - band.maxCelsius()) * hold / 60_000.0;
                } else if (c < band.minCelsius()) {
                    below += hold;
                    degreeMinutesBelow += (band.minCelsius() - c) * hold / 60_000.0;
                }
                arrhenius += hold / 1000.0 * Math.exp(-10_000.0 / (c + 273.15));
            }
            previous = r;
        }

        void flush() {
            previous = null; // the last reading before a flush holds nothing
        }
    }

    /** Sum of the emitted statistics, field by field, plus their reading counts. */
    private static final class Totals {
        long observed;
        long unknown;
        long above;
        long below;
        long readings;
        long summaries;
        double degreeMinutesAbove;
        double degreeMinutesBelow;
        double arrhenius;

        void add(ExposureStatistics e, int count, ProductBand band, long limitSeconds) {
            assertThat(e.bandLowCelsius()).isEqualTo(band.minCelsius());
            assertThat(e.bandHighCelsius()).isEqualTo(band.maxCelsius());
            assertThat(e.maxGapSeconds()).isEqualTo(limitSeconds);
            observed += e.observedMillis();
            unknown += e.unknownMillis();
            above += e.aboveMillis();
            below += e.belowMillis();
            degreeMinutesAbove += e.degreeMinutesAbove();
            degreeMinutesBelow += e.degreeMinutesBelow();
            arrhenius += e.arrheniusSum();
            readings += count;
            summaries++;
        }

        void assertEquals(Reference ref) {
            assertThat(readings).as("readings").isEqualTo(ref.readings);
            assertThat(observed).as("observedMillis").isEqualTo(ref.observed);
            assertThat(unknown).as("unknownMillis").isEqualTo(ref.unknown);
            assertThat(above).as("aboveMillis").isEqualTo(ref.above);
            assertThat(below).as("belowMillis").isEqualTo(ref.below);
            // a payload's degree-minutes are rounded to 4 decimals: at most 5e-5 °C·min each
            double rounding = 5e-5 * summaries;
            assertThat(degreeMinutesAbove).as("degreeMinutesAbove")
                    .isCloseTo(ref.degreeMinutesAbove, within(rounding + 1e-9 * (1 + ref.degreeMinutesAbove)));
            assertThat(degreeMinutesBelow).as("degreeMinutesBelow")
                    .isCloseTo(ref.degreeMinutesBelow, within(rounding + 1e-9 * (1 + ref.degreeMinutesBelow)));
            assertThat(arrhenius).as("arrheniusSum").isCloseTo(ref.arrhenius, within(1e-9 * ref.arrhenius + 1e-300));
        }
    }

    /** Readings of one probe: mostly a few seconds to minutes apart, some long gaps, repeats and steps back. */
    private static List<Step> trip(Random random, String probe, int n, double minCelsius, double maxCelsius,
                                   boolean flushes) {
        List<Step> steps = new ArrayList<>();
        long t = T0.toEpochMilli() + random.nextInt(3_600_000);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(100);
            if (kind < 8) {
                t += 0; // the same time again
            } else if (kind < 12) {
                t -= 1 + random.nextInt(120_000); // a step back
            } else if (kind < 20) {
                t += 1 + random.nextInt(3 * 3_600_000); // a silence of up to 3 h
            } else {
                t += 1 + random.nextInt(600_000);
            }
            double c = switch (random.nextInt(10)) {
                case 0 -> 2.0; // exactly on a bound: in range
                case 1 -> 8.0;
                default -> minCelsius + random.nextDouble() * (maxCelsius - minCelsius);
            };
            steps.add(new Step(new TemperatureReading(probe, Instant.ofEpochMilli(t), c)));
            if (flushes && random.nextInt(50) == 0) {
                steps.add(new Step(null));
            }
        }
        return steps;
    }

    @Property(tries = 400)
    void theWindowsOfAProbeAddUpToTheReferenceOverItsRawReadings(@ForAll long seed,
                                                                 @ForAll @IntRange(min = 0, max = 400) int n) {
        Random random = new Random(seed);
        WindowConfig config = WindowConfig.builder().window(WINDOWS.get(random.nextInt(WINDOWS.size())))
                .maxSampleGap(GAPS.get(random.nextInt(GAPS.size()))).build();
        ProductBand band = ProductBand.CHILLED;
        WindowSummarizer windows = new WindowSummarizer(band, config);
        Reference ref = new Reference();
        List<List<WindowSummary>> segments = new ArrayList<>(List.of(new ArrayList<>()));

        for (Step s : trip(random, "p", n, -5.0, 15.0, true)) {
            if (s.reading() == null) {
                windows.flush().ifPresent(segments.get(segments.size() - 1)::add);
                segments.add(new ArrayList<>());
                ref.flush();
            } else {
                segments.get(segments.size() - 1).addAll(windows.accept(s.reading()));
                ref.accept(s.reading(), band, config.maxSampleGap().toMillis());
            }
        }
        windows.flush().ifPresent(segments.get(segments.size() - 1)::add);

        Totals totals = new Totals();
        for (List<WindowSummary> segment : segments) {
            for (int i = 0; i < segment.size(); i++) {
                WindowSummary w = segment.get(i);
                totals.add(w.exposure(), w.readingCount(), band, config.maxSampleGap().toSeconds());
                if (i + 1 < segment.size()) {
                    // a window's statistics cover [first reading, first reading of the next window)
                    assertThat(w.firstReadingAt().plusMillis(w.exposure().spanMillis()))
                            .isEqualTo(segment.get(i + 1).firstReadingAt());
                } else {
                    // the last window before a flush: its last reading holds nothing
                    assertThat(w.firstReadingAt().plusMillis(w.exposure().spanMillis())).isEqualTo(w.lastReadingAt());
                }
            }
        }
        totals.assertEquals(ref);
    }

    @Property(tries = 200)
    void theSummariesOfEveryProbeAddUpToTheReferenceWhateverTheHeartbeat(@ForAll long seed,
                                                                        @ForAll @IntRange(min = 0, max = 600) int n) {
        Random random = new Random(seed);
        Duration window = WINDOWS.get(random.nextInt(WINDOWS.size()));
        ReeferConfig config = ReeferConfig.builder().deviceId("reefer-01").shipmentSscc("106141412345678908")
                .band(ProductBand.CHILLED)
                .window(WindowConfig.builder().window(window).maxSampleGap(GAPS.get(random.nextInt(GAPS.size())))
                        .build())
                .summaryHeartbeat(window.multipliedBy(1 + random.nextInt(24))).build();
        // values within 10 °C of each other: the glitch filter (jumps over 10 °C) accepts every reading in order
        List<Step> supply = trip(random, "reefer-01-sa", n, 0.0, 10.0, false);
        List<Step> returnAir = trip(random, "reefer-01-ra", n, 0.0, 10.0, false);
        List<TemperatureReading> interleaved = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            interleaved.add(supply.get(i).reading());
            interleaved.add(returnAir.get(i).reading());
        }
        Map<String, Reference> refs = new LinkedHashMap<>();
        long limitMillis = config.window().maxSampleGap().toMillis();
        for (TemperatureReading r : interleaved) {
            refs.computeIfAbsent(r.sensorId(), k -> new Reference()).accept(r, config.band(), limitMillis);
        }

        ReeferEdgeModel model = new ReeferEdgeModel(config);
        List<EdgeMessage> out = new ArrayList<>(model.acceptAll(interleaved));
        out.addAll(model.flush());

        Map<String, Totals> totals = new LinkedHashMap<>();
        for (EdgeMessage m : out) {
            if (m.kind() == EdgeMessage.Kind.SUMMARY) {
                TemperatureObserved o = (TemperatureObserved) m.payload();
                totals.computeIfAbsent(o.deviceId(), k -> new Totals()).add(o.exposure(), o.readingCount(),
                        config.band(), config.window().maxSampleGap().toSeconds());
                assertThat(m.bandTime()).isEqualTo(new BandTime(o.exposure().aboveMillis() / 1000,
                        o.exposure().belowMillis() / 1000));
            }
        }
        assertThat(totals.keySet()).isEqualTo(refs.keySet());
        refs.forEach((probe, ref) -> totals.get(probe).assertEquals(ref));
    }
}
