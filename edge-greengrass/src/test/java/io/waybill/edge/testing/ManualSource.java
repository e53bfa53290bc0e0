package io.waybill.edge.testing;

import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.SensorSource;
import io.waybill.edge.trace.TraceSample;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A sensor source the test feeds by hand, on its own thread. */
public final class ManualSource implements SensorSource {
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Consumer<TemperatureReading> sink;

    @Override
    public void start(Consumer<TemperatureReading> sink) {
        this.sink = sink;
    }

    public void feed(List<TraceSample> samples) {
        samples.forEach(s -> sink.accept(s.toTemperatureReading()));
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        finished.complete(null);
    }
}
