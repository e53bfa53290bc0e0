package io.waybill.edgeack;

/**
 * The port to the devices: publishes one storage confirmation to one device's command topic. On AWS
 * {@link IotDataPlaneAcknowledgements} (the IoT data plane's {@code Publish}, QoS 1); locally the local runtime's MQTT
 * adapter publishes to its HiveMQ broker (an IoT data-plane client pointed at a local endpoint is not available).
 */
public interface DeviceAcknowledgements {
    /**
     * Publishes {@code payload} on {@code topic} with QoS 1.
     *
     * @throws AcknowledgementFailedException when the publish was not accepted (the caller logs and counts it: the
     *     device sends the message again after its confirm timeout and is confirmed then)
     */
    void publish(String topic, byte[] payload);

    /** A confirmation that could not be published. */
    final class AcknowledgementFailedException extends RuntimeException {
        public AcknowledgementFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
