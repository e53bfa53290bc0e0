package io.waybill.edge.sensor;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The port the probe readings come in through. Implementations: {@link TraceReplaySource} (a recorded trace CSV),
 * {@link MqttSensorSource} (a local MQTT topic, aws-crt MQTT 5 client) and {@link IpcSensorSource} (Greengrass local
 * publish/subscribe).
 *
 * <p>A source calls the sink from its own thread(s), one reading at a time per thread; the component serialises them.
 * A reading the source cannot parse is logged and skipped by the source, never passed on.
 */
public interface SensorSource extends AutoCloseable {

    /** Starts delivering temperature readings to {@code sink}. Called once (or {@link #start(Consumer, Consumer)}). */
    void start(Consumer<TemperatureReading> sink);

    /**
     * Starts delivering temperature readings to {@code temperatures} and conveyor drive samples to {@code conveyors}.
     * Called once, instead of {@link #start(Consumer)}; what the component calls. A source without conveyor sensors
     * (the default) only delivers temperatures.
     */
    default void start(Consumer<TemperatureReading> temperatures, Consumer<ConveyorReading> conveyors) {
        start(temperatures);
    }

    /**
     * Completes when the source has delivered every reading it ever will: a replay at the end of its trace. A live
     * source completes only when closed.
     */
    CompletableFuture<Void> finished();

    /** Stops delivering; after it returns the sink is not called again. Closing twice does nothing. */
    @Override
    void close();
}
