package io.waybill.edge.trace;

import io.waybill.domain.event.TemperatureBreached.Limit;
import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.ProductBand;
import io.waybill.edge.model.TemperatureReading;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The golden traces, generated deterministically: the same seed gives the same trace, bit for bit, on every JVM
 * ({@link Random} is specified to the bit, and only {@link StrictMath} is used). Values are rounded to the sensor's
 * resolution (0.01 °C, 1 mA) so a trace written with {@link TraceWriter} reads back identical.
 *
 * <h2>Reefer trip ({@link #reeferTrip()})</h2>
 * 48 hours of a chilled (2-8 °C) container, return-air probe, one reading every 30 s (5,760 readings) from
 * {@link #TRIP_START}: setpoint 5 °C, a 2-hour ±0.2 °C compressor swing, uniform noise ±0.3 °C, and
 * <ul>
 *   <li>six defrost cycles (+1.5 °C for 20 min at hours 6, 14, 22, 30, 38, 46), inside the band;</li>
 *   <li>a door opening at hour 10 (door open 60 s, air to ~12 °C, three readings above the band, back below
 *       7.5 °C within 90 s);</li>
 *   <li>a sensor glitch at hour 20: one reading of 60 °C;</li>
 *   <li>a unit failure at hour 33: the air ramps to ~10 °C within a minute, stays at 9-11 °C for 40 minutes and
 *       ramps back within a minute. The only real excursion.</li>
 * </ul>
 *
 * <h2>Conveyor shift ({@link #conveyorShift()})</h2>
 * 2 hours of a sorter drive's motor current at 1 Hz (7,200 samples) from {@link #SHIFT_START}: 4.0 A, a 20-minute
 * ±0.1 A load swing, Gaussian noise σ = 0.08 A, a 2-sample spike to 6.5 A at 00:30:00 (a parcel dropped on the
 * belt) and a 90-second jam at 01:10:00 (5.2 A, then ~6.2 A with more noise).
 */
public final class GoldenTraces {
    /** Seed of the golden traces. */
    public static final long DEFAULT_SEED = 20260302L;

    public static final Instant TRIP_START = Instant.parse("2026-03-02T00:00:00Z");
    public static final Duration TRIP_LENGTH = Duration.ofHours(48);
    public static final Duration READING_INTERVAL = Duration.ofSeconds(30);
    public static final int TRIP_READINGS = (int) (TRIP_LENGTH.toSeconds() / READING_INTERVAL.toSeconds());
    public static final String REEFER_DEVICE_ID = "reefer-07";
    /** Return-air probe of reefer-07. */
    public static final String REEFER_SENSOR_ID = "reefer-07-ra";
    /** The SSCC of the pallet load (check digit valid). */
    public static final String SHIPMENT_SSCC = "106141412345678908";
    public static final ProductBand TRIP_BAND = ProductBand.CHILLED;

    public static final Duration DOOR_OPENING_AT = Duration.ofHours(10);
    public static final Duration GLITCH_AT = Duration.ofHours(20);
    public static final double GLITCH_CELSIUS = 60.0;
    public static final Duration FAILURE_AT = Duration.ofHours(33);
    public static final Duration FAILURE_LENGTH = Duration.ofMinutes(40);

    public static final Instant SHIFT_START = Instant.parse("2026-03-02T06:00:00Z");
    public static final int SHIFT_SAMPLES = 7200;
    public static final String CONVEYOR_SENSOR_ID = "sorter-3-drive-2";
    public static final int SPIKE_INDEX = 1800;
    public static final int SPIKE_SAMPLES = 2;
    public static final int JAM_INDEX = 4200;
    public static final int JAM_SAMPLES = 90;

    private static final double SETPOINT = 5.0;
    private static final double NOISE = 0.3;
    private static final long[] DEFROST_HOURS = {6, 14, 22, 30, 38, 46};
    private static final long DEFROST_SECONDS = 20 * 60;
    private static final double DEFROST_RISE = 1.5;
    private static final long DOOR_OPEN_SECONDS = 60;
    private static final double DOOR_AIR_CELSIUS = 12.0;
    private static final double DOOR_DECAY_SECONDS = 20;
    private static final long RAMP_SECONDS = 60;
    private static final double FAILURE_CELSIUS = 10.0;

    private static final double BASE_AMPS = 4.0;
    private static final double NOISE_AMPS = 0.08;

    private GoldenTraces() {
    }

    public static ReeferTrace reeferTrip() {
        return reeferTrip(DEFAULT_SEED);
    }

    /** The reefer trip with the noise of another seed (incidents at the same times). */
    public static ReeferTrace reeferTrip(long seed) {
        Random rnd = new Random(seed);
        long door = DOOR_OPENING_AT.toSeconds();
        long glitch = GLITCH_AT.toSeconds();
        long fail = FAILURE_AT.toSeconds();
        long failEnd = fail + FAILURE_LENGTH.toSeconds();
        List<TemperatureReading> readings = new ArrayList<>(TRIP_READINGS);
        for (int i = 0; i < TRIP_READINGS; i++) {
            long sec = i * READING_INTERVAL.toSeconds();
            double noise = (rnd.nextDouble() * 2 - 1) * NOISE;
            double normal = SETPOINT + 0.2 * StrictMath.sin(2 * Math.PI * sec / 7200.0) + defrost(sec);
            double v;
            if (sec >= fail && sec < failEnd + RAMP_SECONDS) {
                double ramp = sec < fail + RAMP_SECONDS ? (double) (sec - fail) / RAMP_SECONDS
                        : sec <= failEnd ? 1.0 : 1.0 - (double) (sec - failEnd) / RAMP_SECONDS;
                double failed = FAILURE_CELSIUS + 0.7 * StrictMath.sin(2 * Math.PI * (sec - fail) / 1200.0);
                v = (1 - ramp) * normal + ramp * failed + noise;
            } else if (sec >= door && sec < door + DOOR_OPEN_SECONDS) {
                v = DOOR_AIR_CELSIUS + noise;
            } else if (sec >= door + DOOR_OPEN_SECONDS && sec < door + 600) {
                double decay = StrictMath.exp(-(sec - door - DOOR_OPEN_SECONDS) / DOOR_DECAY_SECONDS);
                v = normal + (DOOR_AIR_CELSIUS - SETPOINT) * decay + noise;
            } else {
                v = normal + noise;
            }
            if (sec == glitch) {
                v = GLITCH_CELSIUS;
            }
            readings.add(new TemperatureReading(REEFER_SENSOR_ID, TRIP_START.plusSeconds(sec),
                    Math.round(v * 100) / 100.0));
        }
        List<TraceIncident> incidents = new ArrayList<>();
        for (long h : DEFROST_HOURS) {
            Instant from = TRIP_START.plus(Duration.ofHours(h));
            incidents.add(new TraceIncident(TraceIncident.Kind.DEFROST, from, from.plusSeconds(DEFROST_SECONDS),
                    "defrost cycle, +1.5 °C for 20 min, inside the band"));
        }
        incidents.add(new TraceIncident(TraceIncident.Kind.DOOR_OPENING, TRIP_START.plusSeconds(door),
                TRIP_START.plusSeconds(door + DOOR_OPEN_SECONDS),
                "door open 60 s at a cross-dock: ~12 °C, three readings above the band"));
        incidents.add(new TraceIncident(TraceIncident.Kind.SENSOR_GLITCH, TRIP_START.plusSeconds(glitch),
                TRIP_START.plusSeconds(glitch).plus(READING_INTERVAL), "one reading of 60 °C"));
        incidents.add(new TraceIncident(TraceIncident.Kind.UNIT_FAILURE, TRIP_START.plusSeconds(fail),
                TRIP_START.plusSeconds(failEnd + RAMP_SECONDS),
                "refrigeration unit failure: 9-11 °C for 40 minutes"));
        // the ramps cross the thresholds half-way: the nominal excursion is [fail + 30 s, failEnd + 30 s]
        ExpectedExcursion failure = new ExpectedExcursion(REEFER_SENSOR_ID, Limit.UPPER,
                TRIP_START.plusSeconds(fail + RAMP_SECONDS / 2), TRIP_START.plusSeconds(failEnd + RAMP_SECONDS / 2),
                Duration.ofMinutes(1), 10.0, 11.5);
        return new ReeferTrace(REEFER_DEVICE_ID, SHIPMENT_SSCC, TRIP_BAND, readings, incidents, List.of(failure));
    }

    private static double defrost(long sec) {
        for (long h : DEFROST_HOURS) {
            long from = h * 3600;
            if (sec >= from && sec < from + DEFROST_SECONDS) {
                return DEFROST_RISE * StrictMath.sin(Math.PI * (sec - from) / DEFROST_SECONDS);
            }
        }
        return 0.0;
    }

    public static ConveyorTrace conveyorShift() {
        return conveyorShift(DEFAULT_SEED);
    }

    /** The conveyor shift with the noise of another seed (spike and jam at the same samples). */
    public static ConveyorTrace conveyorShift(long seed) {
        Random rnd = new Random(seed);
        List<ConveyorReading> readings = new ArrayList<>(SHIFT_SAMPLES);
        for (int i = 0; i < SHIFT_SAMPLES; i++) {
            double noise = rnd.nextGaussian() * NOISE_AMPS;
            double v;
            if (i >= SPIKE_INDEX && i < SPIKE_INDEX + SPIKE_SAMPLES) {
                v = 6.5 + noise;
            } else if (i == JAM_INDEX) {
                v = 5.2 + noise;
            } else if (i > JAM_INDEX && i < JAM_INDEX + JAM_SAMPLES) {
                v = 6.2 + 1.5 * noise;
            } else {
                v = normalAmps(i) + noise;
            }
            readings.add(conveyorReading(i, v));
        }
        Instant spikeAt = SHIFT_START.plusSeconds(SPIKE_INDEX);
        Instant jamAt = SHIFT_START.plusSeconds(JAM_INDEX);
        Instant jamEnd = SHIFT_START.plusSeconds(JAM_INDEX + JAM_SAMPLES);
        List<TraceIncident> incidents = List.of(
                new TraceIncident(TraceIncident.Kind.CURRENT_SPIKE, spikeAt, spikeAt.plusSeconds(SPIKE_SAMPLES),
                        "2 samples at 6.5 A: a parcel dropped on the belt"),
                new TraceIncident(TraceIncident.Kind.JAM, jamAt, jamEnd, "90 s jam at ~6.2 A"));
        return new ConveyorTrace(readings, incidents, List.of(new ExpectedJam(CONVEYOR_SENSOR_ID, jamAt, JAM_INDEX,
                jamEnd, JAM_INDEX + JAM_SAMPLES)));
    }

    /** Normal operation only (load swing and noise, no spike, no jam), {@code samples} seconds at 1 Hz. */
    public static ConveyorTrace conveyorNormalOperation(long seed, int samples) {
        Random rnd = new Random(seed);
        List<ConveyorReading> readings = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            readings.add(conveyorReading(i, normalAmps(i) + rnd.nextGaussian() * NOISE_AMPS));
        }
        return new ConveyorTrace(readings, List.of(), List.of());
    }

    private static double normalAmps(int i) {
        return BASE_AMPS + 0.1 * StrictMath.sin(2 * Math.PI * i / 1200.0);
    }

    private static ConveyorReading conveyorReading(int i, double amps) {
        return new ConveyorReading(CONVEYOR_SENSOR_ID, SHIFT_START.plusSeconds(i), Math.round(amps * 1000) / 1000.0);
    }
}
