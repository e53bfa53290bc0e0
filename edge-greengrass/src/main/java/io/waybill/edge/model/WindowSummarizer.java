package io.waybill.edge.model;

import io.waybill.domain.event.ExposureStatistics;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tumbling-window statistics of one probe: min, max, mean, count, and the exactly mergeable exposure statistics of
 * {@link ExposureStatistics} (observed and unknown time, time and degree-minutes above and below the product band,
 * the Arrhenius sum), per window of {@link WindowConfig#window()} aligned to the epoch.
 *
 * <p><b>Holds</b>, as {@link ExposureStatistics} defines them: a reading's value holds from its timestamp until the
 * next reading of the probe, for at most {@link WindowConfig#maxSampleGap()}; the rest of a longer gap is unknown.
 * A reading's hold and the unknown rest of its gap are counted in the window that <em>contains the reading</em>,
 * even when they reach past the window's end: nothing is split at a boundary, so the windows' statistics add up to
 * those of the whole trip. The hold of a window's last reading is known when the next reading arrives, which is
 * exactly when the window is closed, so it is added before the window is emitted. The last reading before a
 * {@link #flush()} has no successor and holds nothing. Durations are whole milliseconds of the readings' epoch
 * milliseconds (so the holds and unknown rests of a probe telescope exactly to its last minus first reading time).
 *
 * <p>A window is emitted by the first reading of a later window (event time only, no timer: a silent probe emits
 * nothing until it speaks again or {@link #flush()} is called). Feed it plausible readings only (the
 * {@link ReeferEdgeModel} passes the readings its {@link ExcursionDetector} accepted); a reading not after the
 * previous one (out of order, or the same time again) is ignored. Deterministic, not thread-safe, one instance per
 * probe, no I/O.
 */
public final class WindowSummarizer {
    /** ΔH/R of the mean kinetic temperature, kelvin: 10,000 K (83.144 kJ/mol), as {@link ExposureStatistics}. */
    public static final double ACTIVATION_KELVIN = 10_000.0;
    /** 0 °C in kelvin. */
    public static final double ZERO_CELSIUS_KELVIN = 273.15;

    private final ProductBand band;
    private final WindowConfig config;
    private final long windowMillis;
    private final long maxHoldMillis;
    private final Double bandLow;
    private final Double bandHigh;
    private String sensorId;
    private TemperatureReading last;
    private Window current;
    private long outOfOrder;

    public WindowSummarizer(ProductBand band, WindowConfig config) {
        this.band = Objects.requireNonNull(band, "band");
        this.config = Objects.requireNonNull(config, "config");
        this.windowMillis = config.window().toMillis();
        this.maxHoldMillis = config.maxSampleGap().toMillis();
        this.bandLow = Double.isFinite(band.minCelsius()) ? band.minCelsius() : null;
        this.bandHigh = Double.isFinite(band.maxCelsius()) ? band.maxCelsius() : null;
    }

    public WindowSummarizer(ProductBand band) {
        this(band, WindowConfig.defaults());
    }

    public WindowConfig config() {
        return config;
    }

    /**
     * Adds a reading; returns the window it closed, if any (at most one), with the hold of that window's last
     * reading (until this reading) counted in it.
     *
     * @throws IllegalArgumentException if the reading is from another sensor than the first one
     */
    public List<WindowSummary> accept(TemperatureReading r) {
        Objects.requireNonNull(r, "reading");
        if (sensorId == null) {
            sensorId = r.sensorId();
        } else if (!sensorId.equals(r.sensorId())) {
            throw new IllegalArgumentException("summarizer of sensor '" + sensorId + "' got a reading of '"
                    + r.sensorId() + "'");
        }
        if (last != null && !r.at().isAfter(last.at())) {
            outOfOrder++;
            return List.of();
        }
        long index = Math.floorDiv(r.at().toEpochMilli(), windowMillis);
        List<WindowSummary> closed = List.of();
        if (current == null) {
            current = new Window(index);
        } else {
            // the previous reading is in the current window: its hold (and the unknown rest) belong there
            current.hold(last.celsius(), r.at().toEpochMilli() - last.at().toEpochMilli());
            if (index != current.index) {
                closed = List.of(current.summary());
                current = new Window(index);
            }
        }
        current.add(r);
        last = r;
        return closed;
    }

    /**
     * Closes the current window as it is (end of a trip, component shutdown) and starts afresh: the last reading
     * holds nothing, the next reading opens a new window and has no predecessor.
     */
    public Optional<WindowSummary> flush() {
        if (current == null) {
            return Optional.empty();
        }
        WindowSummary s = current.summary();
        current = null;
        last = null;
        return Optional.of(s);
    }

    public long rejectedOutOfOrder() {
        return outOfOrder;
    }

    private final class Window {
        final long index;
        final long startMillis;
        Instant first;
        Instant lastAt;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        int count;
        long observedMillis;
        long unknownMillis;
        long aboveMillis;
        long belowMillis;
        final CompensatedSum degreeMinutesAbove = new CompensatedSum();
        final CompensatedSum degreeMinutesBelow = new CompensatedSum();
        final CompensatedSum arrhenius = new CompensatedSum();

        Window(long index) {
            this.index = index;
            this.startMillis = index * windowMillis;
        }

        void add(TemperatureReading r) {
            if (first == null) {
                first = r.at();
            }
            lastAt = r.at();
            min = Math.min(min, r.celsius());
            max = Math.max(max, r.celsius());
            sum += r.celsius();
            count++;
        }

        /** Credits a reading of this window with the gap until its successor: a hold of at most the limit. */
        void hold(double celsius, long gapMillis) {
            long hold = Math.min(gapMillis, maxHoldMillis);
            observedMillis += hold;
            unknownMillis += gapMillis - hold;
            if (hold == 0) {
                return;
            }
            // strictly outside the band; a reading equal to a bound is in range
            if (celsius > band.maxCelsius()) {
                aboveMillis += hold;
                degreeMinutesAbove.add((celsius - band.maxCelsius()) * hold / 60_000.0);
            } else if (celsius < band.minCelsius()) {
                belowMillis += hold;
                degreeMinutesBelow.add((band.minCelsius() - celsius) * hold / 60_000.0);
            }
            arrhenius.add(hold / 1000.0 * Math.exp(-ACTIVATION_KELVIN / (celsius + ZERO_CELSIUS_KELVIN)));
        }

        WindowSummary summary() {
            ExposureStatistics exposure = new ExposureStatistics(bandLow, bandHigh,
                    config.maxSampleGap().toSeconds(), observedMillis, unknownMillis, aboveMillis, belowMillis,
                    degreeMinutesAbove.value(), degreeMinutesBelow.value(), arrhenius.value());
            return new WindowSummary(sensorId, Instant.ofEpochMilli(startMillis),
                    Instant.ofEpochMilli(startMillis + windowMillis), first, lastAt, min, max, sum / count, count,
                    exposure);
        }
    }
}
