package io.waybill.edge.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Tumbling-window statistics of one probe: min, max, mean, count, and the time above and below the product band,
 * per window of {@link WindowConfig#window()} aligned to the epoch.
 *
 * <p>Time outside the band uses a zero-order hold: a reading's value holds from its timestamp until the next
 * reading, at most {@link WindowConfig#maxSampleGap()}; a hold that crosses a window boundary is split between the
 * two windows. The last reading's hold is unknown until the next reading arrives, so {@link #flush()} counts it
 * as zero.
 *
 * <p>A window is emitted by the first reading of a later window (event time only, no timer: a silent probe emits
 * nothing until it speaks again or {@link #flush()} is called). Feed it plausible readings only (the
 * {@link ReeferEdgeModel} passes the readings its {@link ExcursionDetector} accepted); out-of-order readings are
 * ignored. Deterministic, not thread-safe, one instance per probe, no I/O.
 */
public final class WindowSummarizer {
    private final ProductBand band;
    private final WindowConfig config;
    private final long windowMillis;
    private final long maxHoldMillis;
    private String sensorId;
    private TemperatureReading last;
    private Window current;
    private long outOfOrder;

    public WindowSummarizer(ProductBand band, WindowConfig config) {
        this.band = Objects.requireNonNull(band, "band");
        this.config = Objects.requireNonNull(config, "config");
        this.windowMillis = config.window().toMillis();
        this.maxHoldMillis = config.maxSampleGap().toMillis();
    }

    public WindowSummarizer(ProductBand band) {
        this(band, WindowConfig.defaults());
    }

    public WindowConfig config() {
        return config;
    }

    /**
     * Adds a reading; returns the window it closed, if any (at most one).
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
            long from = last.at().toEpochMilli();
            long to = from + Math.min(r.at().toEpochMilli() - from, maxHoldMillis);
            current.hold(last.celsius(), from, to);
            if (index != current.index) {
                closed = List.of(current.summary());
                current = new Window(index);
                current.hold(last.celsius(), from, to);
            }
        }
        current.add(r);
        last = r;
        return closed;
    }

    /**
     * Closes the current window as it is (end of a trip, component shutdown) and starts afresh: the next reading
     * opens a new window and has no predecessor.
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
        final long endMillis;
        Instant first;
        Instant lastAt;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        int count;
        long aboveMillis;
        long belowMillis;

        Window(long index) {
            this.index = index;
            this.startMillis = index * windowMillis;
            this.endMillis = startMillis + windowMillis;
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

        /** Credits the part of the hold [from, to) of a value that lies in this window. */
        void hold(double celsius, long from, long to) {
            long overlap = Math.min(to, endMillis) - Math.max(from, startMillis);
            if (overlap <= 0) {
                return;
            }
            if (celsius > band.maxCelsius()) {
                aboveMillis += overlap;
            } else if (celsius < band.minCelsius()) {
                belowMillis += overlap;
            }
        }

        WindowSummary summary() {
            return new WindowSummary(sensorId, Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(endMillis),
                    first, lastAt, min, max, sum / count, count, Duration.ofMillis(aboveMillis),
                    Duration.ofMillis(belowMillis));
        }
    }
}
