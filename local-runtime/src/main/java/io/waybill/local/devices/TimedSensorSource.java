package io.waybill.local.devices;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.SensorSource;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link SensorSource} that reports each reading's (sensor id, device time) as it reaches the edge component, then
 * passes it on unchanged: with {@link DeviceSimulator#onPublish} on the other end, device-to-edge latency on the live
 * clock.
 */
public final class TimedSensorSource implements SensorSource {
    /** Called on the source's thread as a reading arrives; keep it cheap. */
    @FunctionalInterface
    public interface Arrival {
        void arrived(String sensorId, Instant at);
    }

    private final SensorSource delegate;
    private final Arrival arrival;

    public TimedSensorSource(SensorSource delegate, Arrival arrival) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.arrival = Objects.requireNonNull(arrival, "arrival");
    }

    @Override
    public void start(Consumer<TemperatureReading> sink) {
        delegate.start(timed(sink));
    }

    @Override
    public void start(Consumer<TemperatureReading> temperatures, Consumer<ConveyorReading> conveyors) {
        delegate.start(timed(temperatures), c -> {
            arrival.arrived(c.sensorId(), c.at());
            conveyors.accept(c);
        });
    }

    private Consumer<TemperatureReading> timed(Consumer<TemperatureReading> sink) {
        return r -> {
            arrival.arrived(r.sensorId(), r.at());
            sink.accept(r);
        };
    }

    @Override
    public CompletableFuture<Void> finished() {
        return delegate.finished();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
