package io.waybill.edge.sensor;

import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.uplink.Mqtt5Connection;
import io.waybill.edge.uplink.MqttEndpoint;
import software.amazon.awssdk.crt.mqtt5.PublishReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Readings from a local MQTT broker: subscribes (QoS 1) to the sensor topic filter, e.g.
 * {@code sensors/+/temperature}, with the aws-crt MQTT 5 client over plain TCP, and turns each
 * {@code {"at":epochMillis,"celsius":4.2}} into a {@link TemperatureReading} whose sensor id is the topic level of the
 * {@code +}. With a conveyor topic filter (e.g. {@code sensors/+/vibration}) it subscribes to that too, in the same
 * SUBSCRIBE, and turns each {@code {"at":epochMillis,"value":4.2}} on it into a {@link ConveyorReading}. It subscribes
 * again after every reconnect (sessions are clean). Unparseable messages are logged and skipped. Readings are
 * delivered on the crt's event-loop thread.
 */
public final class MqttSensorSource implements SensorSource {
    private static final System.Logger LOG = System.getLogger(MqttSensorSource.class.getName());

    private final MqttEndpoint endpoint;
    private final String clientId;
    private final String topicFilter;
    private final Function<String, String> sensorIdOfTopic;
    private final String conveyorTopicFilter;
    private final Function<String, String> conveyorSensorIdOfTopic;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private volatile Consumer<TemperatureReading> sink;
    private volatile Consumer<ConveyorReading> conveyorSink;
    private volatile boolean closed;
    private Mqtt5Connection connection;
    private long rejected;

    /**
     * @param sensorIdOfTopic the sensor id in a topic that matched the filter, or null to skip the message (see
     *                        {@code EdgeComponentConfig.sensorIdOf})
     */
    public MqttSensorSource(MqttEndpoint endpoint, String clientId, String topicFilter,
                            Function<String, String> sensorIdOfTopic) {
        this(endpoint, clientId, topicFilter, sensorIdOfTopic, null, null);
    }

    /**
     * @param conveyorTopicFilter     the conveyor drives' topic filter, or null for none
     * @param conveyorSensorIdOfTopic the sensor id in a topic that matched the conveyor filter, or null to skip it
     *                                (see {@code EdgeComponentConfig.conveyorSensorIdOf})
     */
    public MqttSensorSource(MqttEndpoint endpoint, String clientId, String topicFilter,
                            Function<String, String> sensorIdOfTopic, String conveyorTopicFilter,
                            Function<String, String> conveyorSensorIdOfTopic) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.topicFilter = Objects.requireNonNull(topicFilter, "topicFilter");
        this.sensorIdOfTopic = Objects.requireNonNull(sensorIdOfTopic, "sensorIdOfTopic");
        this.conveyorTopicFilter = SensorMessages.conveyorTopicFilter(conveyorTopicFilter, conveyorSensorIdOfTopic);
        this.conveyorSensorIdOfTopic = conveyorSensorIdOfTopic;
    }

    /** The topic filters this source subscribes to: the temperature one, then the conveyor one if any. */
    public java.util.List<String> topicFilters() {
        return conveyorTopicFilter == null ? java.util.List.of(topicFilter)
                : java.util.List.of(topicFilter, conveyorTopicFilter);
    }

    @Override
    public void start(Consumer<TemperatureReading> sink) {
        start(sink, null);
    }

    @Override
    public synchronized void start(Consumer<TemperatureReading> sink, Consumer<ConveyorReading> conveyors) {
        if (connection != null) {
            throw new IllegalStateException("already started");
        }
        this.sink = Objects.requireNonNull(sink, "sink");
        this.conveyorSink = conveyors;
        connection = Mqtt5Connection.plainTcp(endpoint, clientId, Duration.ofMillis(500), Duration.ofSeconds(10),
                Duration.ofSeconds(10), this::onMessage);
        Mqtt5Connection c = connection;
        SubscribePacket.SubscribePacketBuilder subscribe = new SubscribePacket.SubscribePacketBuilder(topicFilter,
                QOS.AT_LEAST_ONCE);
        if (conveyorTopicFilter != null && conveyors != null) {
            subscribe.withSubscription(conveyorTopicFilter, QOS.AT_LEAST_ONCE);
        }
        String filters = conveyorTopicFilter != null && conveyors != null
                ? topicFilter + ", " + conveyorTopicFilter : topicFilter;
        c.onConnect(() -> c.client().subscribe(subscribe.build()).whenComplete((ack, error) -> {
                    if (error != null) {
                        LOG.log(System.Logger.Level.WARNING, "subscribe to " + filters + " failed: " + error);
                    } else {
                        LOG.log(System.Logger.Level.INFO, "subscribed to " + filters + " at " + endpoint + ": "
                                + ack.getReasonCodes());
                        subscribed.complete(null);
                    }
                }));
    }

    /** Waits until the first subscription was acknowledged (tests, startup). */
    public boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        try {
            subscribed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Messages skipped because their topic or payload was not a reading. */
    public synchronized long rejected() {
        return rejected;
    }

    private void onMessage(PublishReturn r) {
        if (closed || r.getPublishPacket() == null) {
            return;
        }
        String topic = r.getPublishPacket().getTopic();
        String sensorId = sensorIdOfTopic.apply(topic);
        Consumer<ConveyorReading> conveyors = conveyorSink;
        String drive = sensorId == null && conveyors != null && conveyorTopicFilter != null
                ? conveyorSensorIdOfTopic.apply(topic) : null;
        byte[] payload = r.getPublishPacket().getPayload();
        boolean delivered;
        if (drive != null) {
            delivered = SensorMessages.deliver("sensor", topic, drive, payload, SensorPayload::parseConveyor,
                    conveyors, LOG);
        } else if (sensorId == null) {
            delivered = SensorMessages.deliver(() -> {
                throw new IllegalArgumentException("topic does not match " + topicFilters());
            }, sink, LOG, () -> "sensor message on " + topic + " skipped: ");
        } else {
            delivered = SensorMessages.deliver("sensor", topic, sensorId, payload, SensorPayload::parse, sink, LOG);
        }
        if (!delivered) {
            synchronized (this) {
                rejected++;
            }
        }
    }

    @Override
    public CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        closed = true;
        Mqtt5Connection c;
        synchronized (this) {
            c = connection;
        }
        if (c != null) {
            c.close();
        }
        finished.complete(null);
    }
}
