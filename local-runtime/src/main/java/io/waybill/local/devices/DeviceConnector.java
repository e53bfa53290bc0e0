package io.waybill.local.devices;

import io.waybill.local.iot.DeviceCertificate;
import io.waybill.local.iot.LocalMqttClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a simulated device reaches its broker: one MQTT 5 connection per device, client id = the device's thing name.
 */
@FunctionalInterface
public interface DeviceConnector {
    /** AWS IoT Core's port for MQTT over mutual TLS. */
    int AWS_IOT_MQTT_PORT = 8883;

    /** Connects the device and waits for the CONNACK. */
    LocalMqttClient connect(String thingName, Duration timeout);

    /** Plain TCP, no authentication: the local broker's default listener. */
    static DeviceConnector plain(String host, int port) {
        Objects.requireNonNull(host, "host");
        return (thing, timeout) -> LocalMqttClient.connect(host, port, thing, null, timeout);
    }

    /**
     * Mutual TLS with a certificate per thing, through the AWS IoT Device SDK's
     * {@code AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath}: AWS IoT Core (the account's ATS endpoint,
     * port {@value #AWS_IOT_MQTT_PORT}, system trust store) or the local broker's mutual-TLS listener.
     *
     * @param credentials          the thing's certificate and key, e.g. {@code DeviceCertificate.inFolder(dir, thing)}
     * @param certificateAuthority PEM of the broker's CA; null for the system trust store (Amazon Root CA 1)
     */
    static DeviceConnector mutualTls(String host, int port, Function<String, DeviceCertificate> credentials,
                                     Path certificateAuthority) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        return (thing, timeout) -> LocalMqttClient.connectMutualTls(host, port, thing, credentials.apply(thing),
                certificateAuthority, null, timeout);
    }
}
