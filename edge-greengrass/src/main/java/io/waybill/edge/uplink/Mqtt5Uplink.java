package io.waybill.edge.uplink;

import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Uplink} over MQTT 5 with the AWS IoT Device SDK's aws-crt {@code Mqtt5Client}: standalone mode (no
 * Greengrass nucleus).
 *
 * <ul>
 *   <li>{@link #plainTcp}: a local broker on a plain TCP port (development, tests, a site broker that bridges to the
 *       cloud). Tested against an embedded HiveMQ CE.</li>
 *   <li>{@link #awsIotCore}: AWS IoT Core directly, mutual TLS with the thing's certificate and private key on port
 *       8883, built with {@code AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath}, through
 *       {@link #mutualTls}. No AWS endpoint is reachable from the build: the same builder is tested against the
 *       local runtime's broker with a mutual-TLS listener and a local device CA ({@code ./waybill simulate --tls}).</li>
 * </ul>
 * A publish is QoS 1; its future completes when the PUBACK arrived with {@code SUCCESS} or
 * {@code NO_MATCHING_SUBSCRIBERS} (a broker with no subscriber still accepted the message; IoT Core's rules engine is
 * not a subscriber), exceptionally on any other reason code, on a timeout or when the link dropped first.
 */
public final class Mqtt5Uplink implements Uplink {
    /** PUBACK reason codes that another attempt of the same message gets again: the message is refused for good. */
    private static final java.util.Set<PubAckPacket.PubAckReasonCode> REFUSED_FOR_GOOD = java.util.EnumSet.of(
            PubAckPacket.PubAckReasonCode.NOT_AUTHORIZED, PubAckPacket.PubAckReasonCode.TOPIC_NAME_INVALID,
            PubAckPacket.PubAckReasonCode.PAYLOAD_FORMAT_INVALID);

    private final Mqtt5Connection connection;
    private final Duration publishTimeout;
    private final Inbox inbox;

    /** Incoming publishes, routed to the confirmation handler once one is registered. */
    private static final class Inbox implements java.util.function.Consumer<
            software.amazon.awssdk.crt.mqtt5.PublishReturn> {
        volatile String topic;
        volatile java.util.function.Consumer<byte[]> handler;
        final java.util.concurrent.atomic.AtomicBoolean subscribed = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void accept(software.amazon.awssdk.crt.mqtt5.PublishReturn r) {
            PublishPacket p = r.getPublishPacket();
            java.util.function.Consumer<byte[]> h = handler;
            if (h != null && p != null && p.getTopic().equals(topic)) {
                h.accept(p.getPayload() == null ? new byte[0] : p.getPayload());
            }
        }
    }

    private Mqtt5Uplink(Mqtt5Connection connection, Duration publishTimeout, Inbox inbox) {
        this.connection = connection;
        this.publishTimeout = publishTimeout;
        this.inbox = inbox;
    }

    /** An uplink to a plain-TCP broker; it connects in the background and reconnects by itself. */
    public static Mqtt5Uplink plainTcp(MqttEndpoint endpoint, String clientId, Duration publishTimeout,
                                       Duration minReconnectDelay, Duration maxReconnectDelay) {
        Inbox inbox = new Inbox();
        return new Mqtt5Uplink(Mqtt5Connection.plainTcp(endpoint, clientId, minReconnectDelay, maxReconnectDelay,
                publishTimeout, inbox), publishTimeout, inbox);
    }

    /**
     * An uplink to AWS IoT Core with mutual TLS (compile-only in this build, see the class comment).
     *
     * @param endpoint the account's IoT data endpoint ({@code xxxx-ats.iot.<region>.amazonaws.com})
     * @param certPem  the thing's certificate (PEM file)
     * @param keyPem   the thing's private key (PEM file)
     * @param clientId the MQTT client id; IoT Core policies usually require it to equal the thing name
     */
    public static Mqtt5Uplink awsIotCore(String endpoint, Path certPem, Path keyPem, String clientId,
                                         Duration publishTimeout, Duration minReconnectDelay,
                                         Duration maxReconnectDelay) {
        return mutualTls(endpoint, AWS_IOT_MQTT_PORT, certPem, keyPem, null, clientId, publishTimeout,
                minReconnectDelay, maxReconnectDelay);
    }

    /** AWS IoT Core's port for MQTT over mutual TLS. */
    public static final int AWS_IOT_MQTT_PORT = 8883;

    /**
     * An uplink over mutual TLS to any broker that authenticates devices by certificate: AWS IoT Core
     * ({@link #awsIotCore}) or the local runtime's broker with its mutual-TLS listener.
     *
     * @param certificateAuthority PEM file of the CA that signed the broker's certificate; null for the system trust
     *                             store (Amazon Root CA 1 on AWS IoT Core)
     */
    public static Mqtt5Uplink mutualTls(String host, int port, Path certPem, Path keyPem, Path certificateAuthority,
                                        String clientId, Duration publishTimeout, Duration minReconnectDelay,
                                        Duration maxReconnectDelay) {
        Objects.requireNonNull(host, "host");
        Inbox inbox = new Inbox();
        Mqtt5Connection c = Mqtt5Connection.of(clientId + "@mtls://" + host + ":" + port, events -> {
            try (AwsIotMqtt5ClientBuilder b = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(
                    host, certPem.toString(), keyPem.toString())) {
                if (certificateAuthority != null) {
                    b.withCertificateAuthorityFromPath(null, certificateAuthority.toString());
                }
                return b.withPort((long) port)
                        .withClientId(clientId)
                        .withMinReconnectDelayMs(minReconnectDelay.toMillis())
                        .withMaxReconnectDelayMs(maxReconnectDelay.toMillis())
                        .withAckTimeoutSeconds(Math.max(1L, publishTimeout.toSeconds()))
                        .withOfflineQueueBehavior(software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions
                                .ClientOfflineQueueBehavior.FAIL_ALL_ON_DISCONNECT)
                        .withLifeCycleEvents(events)
                        .withPublishEvents(events)
                        .build();
            }
        }, inbox);
        return new Mqtt5Uplink(c, publishTimeout, inbox);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        PublishPacket packet = new PublishPacket.PublishPacketBuilder(topic, QOS.AT_LEAST_ONCE, payload).build();
        CompletableFuture<Void> done = new CompletableFuture<>();
        connection.client().publish(packet).whenComplete((result, error) -> {
            if (error != null) {
                done.completeExceptionally(new UplinkException("publish to " + topic + " failed: " + error, error));
                return;
            }
            PubAckPacket ack = result == null ? null : result.getResultPubAck();
            if (ack == null) {
                done.completeExceptionally(new UplinkException("publish to " + topic + ": no PUBACK"));
            } else if (ack.getReasonCode() == PubAckPacket.PubAckReasonCode.SUCCESS
                    || ack.getReasonCode() == PubAckPacket.PubAckReasonCode.NO_MATCHING_SUBSCRIBERS) {
                done.complete(null);
            } else if (REFUSED_FOR_GOOD.contains(ack.getReasonCode())) {
                done.completeExceptionally(new UplinkRefusedException("publish to " + topic + " refused for good: "
                        + ack.getReasonCode() + (ack.getReasonString() == null ? "" : " " + ack.getReasonString()),
                        ack.getReasonCode().name()));
            } else {
                done.completeExceptionally(new UplinkException("publish to " + topic + " refused: "
                        + ack.getReasonCode() + (ack.getReasonString() == null ? "" : " " + ack.getReasonString())));
            }
        });
        return done.orTimeout(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isConnected() {
        return connection.isConnected() && (inbox.handler == null || inbox.subscribed.get());
    }

    @Override
    public boolean isLinkUp() {
        return connection.isConnected();
    }

    /**
     * Subscribes (QoS 1) to {@code topic} after every connection: the session is clean, so a reconnection has to
     * subscribe again, and {@link #isConnected()} stays false until the SUBACK granted it.
     */
    @Override
    public boolean subscribeConfirmations(String topic, java.util.function.Consumer<byte[]> handler) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(handler, "handler");
        inbox.topic = topic;
        inbox.handler = handler;
        connection.onDisconnect(() -> inbox.subscribed.set(false));
        connection.onConnect(() -> connection.client().subscribe(
                new software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket.SubscribePacketBuilder()
                        .withSubscription(topic, QOS.AT_LEAST_ONCE).build())
                .whenComplete((ack, error) -> {
                    boolean granted = error == null && ack != null && !ack.getReasonCodes().isEmpty()
                            && ack.getReasonCodes().get(0).getValue() <= 2;
                    inbox.subscribed.set(granted);
                    if (!granted) {
                        System.getLogger(Mqtt5Uplink.class.getName()).log(System.Logger.Level.WARNING,
                                connection + ": subscription to " + topic + " not granted: "
                                        + (error != null ? error : ack.getReasonCodes()));
                    }
                }));
        return true;
    }

    /** Waits until the client is connected (tests, startup logs). */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return connection.awaitConnected(timeout);
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "Mqtt5Uplink[" + connection + "]";
    }
}
