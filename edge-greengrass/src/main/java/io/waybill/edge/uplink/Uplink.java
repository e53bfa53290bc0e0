package io.waybill.edge.uplink;

import java.util.concurrent.CompletableFuture;

/**
 * The port to the cloud: QoS 1 publishes to AWS IoT Core (or a local broker standing in for it).
 *
 * <p>Implementations: {@link Mqtt5Uplink} (MQTT 5 through the aws-crt client: plain TCP to a local broker, or mTLS to
 * AWS IoT Core) and {@link GreengrassIpcUplink} (Greengrass IPC {@code PublishToIoTCore}, under the nucleus). The
 * component's drain loop publishes one message at a time and acknowledges it in the spool only when the returned
 * future completed normally, so an implementation must not complete it before the broker confirmed delivery.
 */
public interface Uplink extends AutoCloseable {

    /**
     * Publishes {@code payload} on {@code topic} with QoS 1 (at least once).
     *
     * @return completes normally once the broker acknowledged the message (the PUBACK arrived); completes
     *     exceptionally when the publish failed, was refused (a PUBACK reason code that is an error) or the link went
     *     down before the acknowledgement. Never completes early.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload);

    /**
     * Subscribes to the cloud's storage confirmations ({@link StorageConfirmation}) on {@code topic}, again after every
     * reconnection; {@code handler} gets each payload (on the client's thread: it must not block). Once subscribed,
     * {@link #isConnected()} is true only while the subscription is in place, so nothing is sent whose confirmation
     * could not arrive.
     *
     * @return false if this uplink cannot receive (the component then refuses the {@code cloud} acknowledgement)
     */
    default boolean subscribeConfirmations(String topic, java.util.function.Consumer<byte[]> handler) {
        return false;
    }

    /**
     * Whether the link itself is up, whether or not the confirmation subscription is in place yet (the shutdown
     * drain waits while it is; it gives up at once when it is down). By default {@link #isConnected()}.
     */
    default boolean isLinkUp() {
        return isConnected();
    }

    /** Whether the link is up right now (a publish may still fail: this is a hint for the back-off). */
    boolean isConnected();

    /** Disconnects and releases the client. Closing twice does nothing. */
    @Override
    void close();
}
