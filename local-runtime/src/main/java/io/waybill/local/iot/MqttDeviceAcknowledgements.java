package io.waybill.local.iot;

import io.waybill.edgeack.DeviceAcknowledgements;

import java.time.Duration;
import java.util.Objects;

/**
 * The local adapter of the edge acknowledgement function's {@link DeviceAcknowledgements} port: publishes each
 * storage confirmation (QoS 1) to the local HiveMQ broker, where the edge component subscribed to
 * {@code cmd/waybill/<stage>/<thing>/stored}. On AWS the same handler publishes through the IoT data plane; an IoT
 * data-plane client pointed at a local endpoint is not available, hence this port.
 */
public final class MqttDeviceAcknowledgements implements DeviceAcknowledgements, AutoCloseable {
    private final LocalMqttClient client;
    private final Duration timeout;

    public MqttDeviceAcknowledgements(LocalMqttClient client, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Connects a client of its own to the broker. */
    public static MqttDeviceAcknowledgements connect(LocalMqttBroker broker, String clientId, Duration timeout) {
        return new MqttDeviceAcknowledgements(LocalMqttClient.connect(broker.host(), broker.port(), clientId, null,
                timeout), timeout);
    }

    @Override
    public void publish(String topic, byte[] payload) {
        try {
            client.publishAndWait(topic, payload, timeout);
        } catch (RuntimeException e) {
            throw new AcknowledgementFailedException("local broker publish to " + topic + " failed: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
