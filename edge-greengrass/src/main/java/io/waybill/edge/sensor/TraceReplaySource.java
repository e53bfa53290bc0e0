package io.waybill.edge.sensor;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.trace.TraceReader;
import io.waybill.edge.trace.TraceSample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Replays a trace ({@code io.waybill.edge.trace} CSV: {@code sensorId,epochMillis,value}) as temperature readings
 * or, made with {@link #conveyor}, as conveyor drive samples, on a thread of its own ({@code waybill-trace-replay}).
 *
 * <p>The readings keep their recorded timestamps (the models run on device time, not the wall clock); only the pacing
 * between them is real time, divided by the speed-up factor: 1 replays in real time, 3600 plays an hour per second,
 * {@link #AS_FAST_AS_POSSIBLE} (or any value &le; 0 passed to {@link #fromFile}) does not wait at all. Pacing is
 * measured from the replay's start, so it does not drift.
 */
public final class TraceReplaySource implements SensorSource {
    /** No pacing: every reading is delivered as soon as the previous one was accepted. */
    public static final double AS_FAST_AS_POSSIBLE = Double.POSITIVE_INFINITY;

    private static final System.Logger LOG = System.getLogger(TraceReplaySource.class.getName());

    private final List<TraceSample> samples;
    private final double speedUp;
    private final boolean conveyor;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean closed;
    private Thread thread;

    public TraceReplaySource(List<TraceSample> samples, double speedUp) {
        this(samples, speedUp, false);
    }

    private TraceReplaySource(List<TraceSample> samples, double speedUp, boolean conveyor) {
        this.conveyor = conveyor;
        this.samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
        if (Double.isNaN(speedUp) || speedUp <= 0) {
            throw new IllegalArgumentException("speedUp must be > 0 (or AS_FAST_AS_POSSIBLE), was " + speedUp);
        }
        this.speedUp = speedUp;
    }

    /** Reads a trace CSV; {@code speedUp <= 0} means as fast as possible. */
    public static TraceReplaySource fromFile(Path csv, double speedUp) throws IOException {
        return new TraceReplaySource(TraceReader.read(csv), speedUp <= 0 ? AS_FAST_AS_POSSIBLE : speedUp);
    }

    /** A replay of conveyor drive samples (the values in the drives' unit); needs {@link #start(Consumer, Consumer)}. */
    public static TraceReplaySource conveyor(List<TraceSample> samples, double speedUp) {
        return new TraceReplaySource(samples, speedUp, true);
    }

    /** Reads a conveyor trace CSV; {@code speedUp <= 0} means as fast as possible. */
    public static TraceReplaySource conveyorFromFile(Path csv, double speedUp) throws IOException {
        return conveyor(TraceReader.read(csv), speedUp <= 0 ? AS_FAST_AS_POSSIBLE : speedUp);
    }

    public int size() {
        return samples.size();
    }

    /**
     * @throws IllegalStateException for a {@linkplain #conveyor conveyor replay}, which needs a conveyor sink
     */
    @Override
    public void start(Consumer<TemperatureReading> sink) {
        start(sink, null);
    }

    @Override
    public synchronized void start(Consumer<TemperatureReading> temperatures, Consumer<ConveyorReading> conveyors) {
        Objects.requireNonNull(temperatures, "temperatures");
        if (conveyor && conveyors == null) {
            throw new IllegalStateException("a conveyor replay needs a conveyor sink");
        }
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(() -> replay(temperatures, conveyors), "waybill-trace-replay");
        thread.setDaemon(true);
        thread.start();
    }

    private void replay(Consumer<TemperatureReading> sink, Consumer<ConveyorReading> conveyorSink) {
        try {
            long startNanos = System.nanoTime();
            long firstMillis = samples.isEmpty() ? 0 : samples.get(0).epochMillis();
            for (TraceSample s : samples) {
                if (closed) {
                    break;
                }
                if (Double.isFinite(speedUp)) {
                    long dueNanos = startNanos + (long) ((s.epochMillis() - firstMillis) * 1_000_000d / speedUp);
                    long waitNanos = dueNanos - System.nanoTime();
                    if (waitNanos > 0) {
                        TimeUnit.NANOSECONDS.sleep(waitNanos);
                    }
                }
                // A sample that is not a reading is logged and skipped, as every source does (SensorSource).
                if (conveyor) {
                    SensorMessages.deliver(s::toConveyorReading, unlessClosed(conveyorSink), LOG,
                            () -> "trace sample skipped: " + s + ": ");
                } else {
                    SensorMessages.deliver(s::toTemperatureReading, unlessClosed(sink), LOG,
                            () -> "trace sample skipped: " + s + ": ");
                }
            }
            finished.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished.complete(null);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "trace replay failed", e);
            finished.completeExceptionally(e);
        }
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        finished.complete(null);
    }

    /** The sink, silenced once the source is closed (a replay thread may still be between two samples). */
    private <T> Consumer<T> unlessClosed(Consumer<T> sink) {
        return reading -> {
            if (!closed) {
                sink.accept(reading);
            }
        };
    }
}
