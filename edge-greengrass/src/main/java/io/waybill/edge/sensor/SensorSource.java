package io.waybill.edge.sensor;

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

    /** Starts delivering readings to {@code sink}. Called once. */
    void start(Consumer<TemperatureReading> sink);

    /**
     * Completes when the source has delivered every reading it ever will: a replay at the end of its trace. A live
     * source completes only when closed.
     */
    CompletableFuture<Void> finished();

    /** Stops delivering; after it returns the sink is not called again. Closing twice does nothing. */
    @Override
    void close();
}
