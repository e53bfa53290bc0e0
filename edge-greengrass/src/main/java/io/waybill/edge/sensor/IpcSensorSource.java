package io.waybill.edge.sensor;

import io.waybill.edge.model.TemperatureReading;
import software.amazon.awssdk.aws.greengrass.GreengrassCoreIPCClientV2;
import software.amazon.awssdk.aws.greengrass.SubscribeToTopicResponseHandler;
import software.amazon.awssdk.aws.greengrass.model.SubscribeToTopicResponse;
import software.amazon.awssdk.aws.greengrass.model.SubscribeToTopicRequest;
import software.amazon.awssdk.aws.greengrass.model.SubscriptionResponseMessage;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Readings from Greengrass local publish/subscribe ({@code aws.greengrass.ipc.pubsub} {@code SubscribeToTopic}):
 * under the nucleus, the probes publish to the local MQTT broker component (Moquette) and the MQTT bridge relays
 * {@code sensors/+/temperature} from {@code LocalMqtt} to {@code Pubsub}; the recipe's {@code accessControl} allows
 * this component to subscribe to that topic. Same payload as {@link MqttSensorSource}.
 *
 * <p><b>Compile-only in this build</b> (needs a nucleus). Binary messages are expected; JSON messages (a publisher
 * that used {@code jsonMessage}) are skipped with a warning.
 */
public final class IpcSensorSource implements SensorSource {
    private static final System.Logger LOG = System.getLogger(IpcSensorSource.class.getName());

    private final GreengrassCoreIPCClientV2 ipc;
    private final String topicFilter;
    private final Function<String, String> sensorIdOfTopic;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile boolean closed;
    private GreengrassCoreIPCClientV2.StreamingResponse<SubscribeToTopicResponse, SubscribeToTopicResponseHandler> subscription;

    public IpcSensorSource(GreengrassCoreIPCClientV2 ipc, String topicFilter, Function<String, String> sensorIdOfTopic) {
        this.ipc = Objects.requireNonNull(ipc, "ipc");
        this.topicFilter = Objects.requireNonNull(topicFilter, "topicFilter");
        this.sensorIdOfTopic = Objects.requireNonNull(sensorIdOfTopic, "sensorIdOfTopic");
    }

    @Override
    public synchronized void start(Consumer<TemperatureReading> sink) {
        Objects.requireNonNull(sink, "sink");
        try {
            subscription = ipc.subscribeToTopic(new SubscribeToTopicRequest().withTopic(topicFilter),
                    message -> onMessage(message, sink),
                    Optional.of(error -> {
                        LOG.log(System.Logger.Level.WARNING, "local pub/sub stream error: " + error);
                        return false; // keep the stream open
                    }),
                    Optional.of(() -> LOG.log(System.Logger.Level.INFO, "local pub/sub stream closed")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to " + topicFilter, e);
        }
    }

    private void onMessage(SubscriptionResponseMessage m, Consumer<TemperatureReading> sink) {
        if (closed) {
            return;
        }
        if (m.getBinaryMessage() == null) {
            LOG.log(System.Logger.Level.WARNING, "non-binary local pub/sub message skipped");
            return;
        }
        String topic = m.getBinaryMessage().getContext() == null ? null : m.getBinaryMessage().getContext().getTopic();
        String sensorId = topic == null ? null : sensorIdOfTopic.apply(topic);
        if (sensorId == null) {
            LOG.log(System.Logger.Level.WARNING, "local pub/sub message on " + topic + " skipped: no sensor id");
            return;
        }
        try {
            sink.accept(SensorPayload.parse(sensorId, m.getBinaryMessage().getMessage()));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "sensor message on " + topic + " skipped: " + e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        GreengrassCoreIPCClientV2.StreamingResponse<SubscribeToTopicResponse, SubscribeToTopicResponseHandler> s;
        synchronized (this) {
            s = subscription;
        }
        if (s != null) {
            try {
                s.getHandler().closeStream();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the subscription failed", e);
            }
        }
        finished.complete(null);
    }
}
