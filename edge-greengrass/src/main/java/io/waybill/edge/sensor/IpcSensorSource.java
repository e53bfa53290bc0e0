package io.waybill.edge.sensor;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;
import software.amazon.awssdk.aws.greengrass.GreengrassCoreIPCClientV2;
import software.amazon.awssdk.aws.greengrass.SubscribeToTopicResponseHandler;
import software.amazon.awssdk.aws.greengrass.model.SubscribeToTopicResponse;
import software.amazon.awssdk.aws.greengrass.model.SubscribeToTopicRequest;
import software.amazon.awssdk.aws.greengrass.model.SubscriptionResponseMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Readings from Greengrass local publish/subscribe ({@code aws.greengrass.ipc.pubsub} {@code SubscribeToTopic}):
 * under the nucleus, the probes publish to the local MQTT broker component (Moquette) and the MQTT bridge relays
 * {@code sensors/+/temperature} from {@code LocalMqtt} to {@code Pubsub}; the recipe's {@code accessControl} allows
 * this component to subscribe to that topic. With a conveyor topic filter ({@code sensors/+/vibration} by default) it
 * subscribes to that too (a second stream), relayed the same way. Same payloads as {@link MqttSensorSource}.
 *
 * <p><b>Compile-only in this build</b> (needs a nucleus). Binary messages are expected; JSON messages (a publisher
 * that used {@code jsonMessage}) are skipped with a warning.
 */
public final class IpcSensorSource implements SensorSource {
    private static final System.Logger LOG = System.getLogger(IpcSensorSource.class.getName());

    private final GreengrassCoreIPCClientV2 ipc;
    private final String topicFilter;
    private final Function<String, String> sensorIdOfTopic;
    private final String conveyorTopicFilter;
    private final Function<String, String> conveyorSensorIdOfTopic;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean closed;
    private final List<GreengrassCoreIPCClientV2.StreamingResponse<SubscribeToTopicResponse,
            SubscribeToTopicResponseHandler>> subscriptions = new ArrayList<>();

    public IpcSensorSource(GreengrassCoreIPCClientV2 ipc, String topicFilter, Function<String, String> sensorIdOfTopic) {
        this(ipc, topicFilter, sensorIdOfTopic, null, null);
    }

    /**
     * @param conveyorTopicFilter     the conveyor drives' topic filter, or null for none
     * @param conveyorSensorIdOfTopic the sensor id in a topic that matched it, or null to skip the message
     */
    public IpcSensorSource(GreengrassCoreIPCClientV2 ipc, String topicFilter, Function<String, String> sensorIdOfTopic,
                           String conveyorTopicFilter, Function<String, String> conveyorSensorIdOfTopic) {
        this.ipc = Objects.requireNonNull(ipc, "ipc");
        this.topicFilter = Objects.requireNonNull(topicFilter, "topicFilter");
        this.sensorIdOfTopic = Objects.requireNonNull(sensorIdOfTopic, "sensorIdOfTopic");
        this.conveyorTopicFilter = SensorMessages.conveyorTopicFilter(conveyorTopicFilter, conveyorSensorIdOfTopic);
        this.conveyorSensorIdOfTopic = conveyorSensorIdOfTopic;
    }

    @Override
    public void start(Consumer<TemperatureReading> sink) {
        start(sink, null);
    }

    @Override
    public synchronized void start(Consumer<TemperatureReading> sink, Consumer<ConveyorReading> conveyors) {
        Objects.requireNonNull(sink, "sink");
        subscribe(topicFilter, message -> onMessage(message, sensorIdOfTopic, SensorPayload::parse, sink, "sensor"));
        if (conveyorTopicFilter != null && conveyors != null) {
            subscribe(conveyorTopicFilter, message -> onMessage(message, conveyorSensorIdOfTopic,
                    SensorPayload::parseConveyor, conveyors, "conveyor"));
        }
    }

    private void subscribe(String filter, Consumer<SubscriptionResponseMessage> handler) {
        try {
            subscriptions.add(ipc.subscribeToTopic(new SubscribeToTopicRequest().withTopic(filter), handler,
                    Optional.of(error -> {
                        LOG.log(System.Logger.Level.WARNING, "local pub/sub stream error on " + filter + ": "
                                + error);
                        return false; // keep the stream open
                    }),
                    Optional.of(() -> LOG.log(System.Logger.Level.INFO, "local pub/sub stream " + filter
                            + " closed"))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to " + filter, e);
        }
    }

    /**
     * One local pub/sub message to one reading: the sensor id from the topic, the payload parsed; anything else is
     * logged and skipped, never passed on.
     */
    private <T> void onMessage(SubscriptionResponseMessage m, java.util.function.Function<String, String> sensorIdOf,
                               java.util.function.BiFunction<String, byte[], T> parse, Consumer<T> sink, String kind) {
        if (closed) {
            return;
        }
        if (m.getBinaryMessage() == null) {
            LOG.log(System.Logger.Level.WARNING, "non-binary local pub/sub message skipped");
            return;
        }
        String topic = m.getBinaryMessage().getContext() == null ? null : m.getBinaryMessage().getContext().getTopic();
        String sensorId = topic == null ? null : sensorIdOf.apply(topic);
        if (sensorId == null) {
            LOG.log(System.Logger.Level.WARNING, "local pub/sub message on " + topic + " skipped: no sensor id");
            return;
        }
        SensorMessages.deliver(kind, topic, sensorId, m.getBinaryMessage().getMessage(), parse, sink, LOG);
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        List<GreengrassCoreIPCClientV2.StreamingResponse<SubscribeToTopicResponse, SubscribeToTopicResponseHandler>> s;
        synchronized (this) {
            s = List.copyOf(subscriptions);
        }
        for (var subscription : s) {
            try {
                subscription.getHandler().closeStream();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the subscription failed", e);
            }
        }
        finished.complete(null);
    }
}
