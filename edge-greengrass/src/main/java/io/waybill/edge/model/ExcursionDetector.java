package io.waybill.edge.model;

import io.waybill.domain.event.TemperatureBreached.Limit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Temperature excursion detection for one probe against one {@link ProductBand}, in two stages per band side:
 *
 * <ol>
 *   <li><b>Hysteresis</b> (a Schmitt trigger): the side turns <i>outside</i> when a reading is beyond the limit by
 *       more than {@link ExcursionConfig#enterMarginCelsius()} and turns back <i>inside</i> only when a reading is
 *       inside the band by at least {@link ExcursionConfig#exitMarginCelsius()}. Readings in the dead band between
 *       keep the current state, so a temperature hovering at the limit cannot flap.</li>
 *   <li><b>Debounce</b>: an excursion opens only after the side has been outside for
 *       {@link ExcursionConfig#minDuration()} without interruption (a door opening is shorter), and ends only after
 *       it has been back inside for {@link ExcursionConfig#exitDuration()} (a single reading back inside does not
 *       split a failure in two). The excursion's start and end are the readings where the trigger flipped, not
 *       the moments the debounce confirmed them.</li>
 * </ol>
 *
 * <p>Before both stages a glitch filter drops readings outside the plausible range and physically implausible
 * jumps (default: more than 10 °C in 10 s), so a single 60 °C or -40 °C sample neither opens an excursion nor
 * becomes its peak. Out-of-order readings are dropped too.
 *
 * <p>Deterministic: the only clock is the readings' own timestamps. Not thread-safe; one instance per probe (the
 * first reading binds the sensor id). No I/O.
 */
public final class ExcursionDetector {
    private final ProductBand band;
    private final ExcursionConfig config;
    private final GlitchFilter filter;
    private final Side upper;
    private final Side lower;
    private String sensorId;
    private TemperatureReading previous;
    private int excursionsOpened;
    private long accepted;
    private long glitches;
    private long outOfOrder;

    public ExcursionDetector(ProductBand band, ExcursionConfig config) {
        this.band = Objects.requireNonNull(band, "band");
        this.config = Objects.requireNonNull(config, "config");
        this.filter = new GlitchFilter(config);
        this.upper = new Side(Limit.UPPER);
        this.lower = new Side(Limit.LOWER);
    }

    public ExcursionDetector(ProductBand band) {
        this(band, ExcursionConfig.defaults());
    }

    public ProductBand band() {
        return band;
    }

    public ExcursionConfig config() {
        return config;
    }

    /**
     * Feeds one reading.
     *
     * @throws IllegalArgumentException if the reading is from another sensor than the first one
     */
    public ExcursionStep accept(TemperatureReading r) {
        Objects.requireNonNull(r, "reading");
        if (sensorId == null) {
            sensorId = r.sensorId();
        } else if (!sensorId.equals(r.sensorId())) {
            throw new IllegalArgumentException("detector of sensor '" + sensorId + "' got a reading of '"
                    + r.sensorId() + "'");
        }
        ReadingVerdict verdict = filter.check(r);
        if (verdict == ReadingVerdict.OUT_OF_ORDER) {
            outOfOrder++;
            return ExcursionStep.OUT_OF_ORDER;
        }
        if (verdict == ReadingVerdict.GLITCH) {
            glitches++;
            return ExcursionStep.GLITCH;
        }
        accepted++;
        List<ExcursionEvent> events = new ArrayList<>(1);
        upper.accept(previous, r, events);
        lower.accept(previous, r, events);
        previous = r;
        return events.isEmpty() ? ExcursionStep.QUIET : new ExcursionStep(ReadingVerdict.ACCEPTED, events);
    }

    /** The open excursion, as of the latest accepted reading. */
    public Optional<Excursion> openExcursion() {
        if (upper.open) {
            return Optional.of(upper.snapshot(previous.at(), null));
        }
        if (lower.open) {
            return Optional.of(lower.snapshot(previous.at(), null));
        }
        return Optional.empty();
    }

    /** How many excursions have opened so far. */
    public int excursionCount() {
        return excursionsOpened;
    }

    public long acceptedReadings() {
        return accepted;
    }

    public long rejectedGlitches() {
        return glitches;
    }

    public long rejectedOutOfOrder() {
        return outOfOrder;
    }

    /** One side of the band: Schmitt trigger + debounce + the accumulators of the current excursion. */
    private final class Side {
        private final Limit limit;
        private final double limitCelsius;
        private boolean outside;
        private Instant outsideSince;
        private boolean open;
        private int number;
        private double peak;
        private double exposureCelsiusSeconds;
        private Instant lastReportAt;
        private Instant backInsideSince;
        private double closingExposureCelsiusSeconds;

        Side(Limit limit) {
            this.limit = limit;
            this.limitCelsius = band.limitCelsius(limit);
        }

        private double beyondBy(double c) {
            return limit == Limit.UPPER ? c - limitCelsius : limitCelsius - c;
        }

        private boolean further(double c, double than) {
            return limit == Limit.UPPER ? c > than : c < than;
        }

        void accept(TemperatureReading prev, TemperatureReading r, List<ExcursionEvent> events) {
            if (!band.hasLimit(limit)) {
                return;
            }
            Duration sincePrev = prev == null ? Duration.ZERO : Duration.between(prev.at(), r.at());
            boolean gap = sincePrev.compareTo(config.maxSampleGap()) > 0;
            // 1. the previous reading held until now (at most maxSampleGap): credit its area beyond the limit
            if (prev != null && (outside || open)) {
                double held = Math.min(sincePrev.toMillis(), config.maxSampleGap().toMillis()) / 1000.0;
                double area = Math.max(0.0, beyondBy(prev.celsius())) * held;
                if (open && backInsideSince != null) {
                    closingExposureCelsiusSeconds += area;
                } else {
                    exposureCelsiusSeconds += area;
                }
            }
            // 2. hysteresis
            boolean wasOutside = outside;
            double beyond = beyondBy(r.celsius());
            if (!outside && beyond > config.enterMarginCelsius()) {
                outside = true;
            } else if (outside && -beyond >= config.exitMarginCelsius()) {
                outside = false;
            }
            // 3. debounce
            if (!open) {
                if (outside) {
                    if (!wasOutside || gap) {
                        // a fresh candidate, or one whose continuity a data gap broke: the debounce (re)starts here
                        outsideSince = r.at();
                        peak = r.celsius();
                        exposureCelsiusSeconds = 0;
                    } else if (further(r.celsius(), peak)) {
                        peak = r.celsius();
                    }
                    if (Duration.between(outsideSince, r.at()).compareTo(config.minDuration()) >= 0) {
                        open = true;
                        number = ++excursionsOpened;
                        lastReportAt = r.at();
                        events.add(new ExcursionStarted(r.at(), snapshot(r.at(), null)));
                    }
                } else if (wasOutside) {
                    exposureCelsiusSeconds = 0; // candidate cancelled: a blip, not an excursion
                }
                return;
            }
            if (outside) {
                if (backInsideSince != null) {
                    // back outside before the exit debounce: the same excursion goes on
                    exposureCelsiusSeconds += closingExposureCelsiusSeconds;
                    closingExposureCelsiusSeconds = 0;
                    backInsideSince = null;
                }
                if (further(r.celsius(), peak)) {
                    peak = r.celsius();
                }
                if (Duration.between(lastReportAt, r.at()).compareTo(config.updateInterval()) >= 0) {
                    lastReportAt = r.at();
                    events.add(new ExcursionUpdate(r.at(), snapshot(r.at(), null)));
                }
                return;
            }
            if (backInsideSince == null) {
                backInsideSince = r.at();
                closingExposureCelsiusSeconds = 0;
            }
            if (Duration.between(backInsideSince, r.at()).compareTo(config.exitDuration()) >= 0) {
                events.add(new ExcursionEnded(r.at(), snapshot(backInsideSince, backInsideSince)));
                open = false;
                backInsideSince = null;
                exposureCelsiusSeconds = 0;
                closingExposureCelsiusSeconds = 0;
            }
        }

        Excursion snapshot(Instant asOf, Instant end) {
            return new Excursion(sensorId, number, limit, limitCelsius, outsideSince, end,
                    Duration.between(outsideSince, asOf), peak, exposureCelsiusSeconds / 60.0);
        }
    }
}
