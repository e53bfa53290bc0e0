package io.waybill.local.iot;

import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.iot.AwsIotMqtt5ClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.PublishResult;
import software.amazon.awssdk.crt.mqtt5.PublishReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * An AWS IoT Device SDK (aws-crt) {@link Mqtt5Client}, either on a plain-TCP broker ({@link #connect}; the SDK's
 * {@code AwsIotMqtt5ClientBuilder} always sets up TLS, so those options are built on the crt directly) or
 * authenticated with a device certificate over mutual TLS ({@link #connectMutualTls}, built with
 * {@code AwsIotMqtt5ClientBuilder}, exactly as a device connects to AWS IoT Core). Clean session,
 * automatic reconnect; subscriptions are renewed after every reconnect. Used by {@link LocalRuleRunner} to receive and
 * by tests (and the device simulator) to publish.
 */
public final class LocalMqttClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMqttClient.class);

    private static final long KEEP_ALIVE_SECONDS = 30L;
    private static final long MIN_RECONNECT_DELAY_MS = 100L;
    private static final long MAX_RECONNECT_DELAY_MS = 2_000L;
    private static final long ACK_TIMEOUT_SECONDS = 10L;

    private final String name;
    private final Mqtt5Client client;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final CopyOnWriteArrayList<String> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private volatile int lastConnectError;

    private LocalMqttClient(String name, BiConsumer<String, byte[]> onMessage,
                            java.util.function.Function<Events, Mqtt5Client> clientFactory) {
        this.name = name;
        this.client = clientFactory.apply(new Events(onMessage));
    }

    private static Mqtt5Client plainClient(String host, int port, String clientId, Events events) {
        Mqtt5ClientOptions options = new Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder(host, (long) port)
                .withConnectOptions(new ConnectPacket.ConnectPacketBuilder().withClientId(clientId)
                        .withKeepAliveIntervalSeconds(KEEP_ALIVE_SECONDS).build())
                .withSessionBehavior(Mqtt5ClientOptions.ClientSessionBehavior.CLEAN)
                .withMinReconnectDelayMs(MIN_RECONNECT_DELAY_MS)
                .withMaxReconnectDelayMs(MAX_RECONNECT_DELAY_MS)
                .withAckTimeoutSeconds(ACK_TIMEOUT_SECONDS)
                .withLifecycleEvents(events)
                .withPublishEvents(events)
                .build();
        return new Mqtt5Client(options);
    }

    /**
     * A client authenticated with an X.509 certificate over mutual TLS, as devices connect to AWS IoT Core: built with
     * the AWS IoT Device SDK's {@code AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath}.
     */
    private static Mqtt5Client mutualTlsClient(String host, int port, String clientId, DeviceCertificate certificate,
                                               Path certificateAuthority, Events events) {
        try (AwsIotMqtt5ClientBuilder b = AwsIotMqtt5ClientBuilder.newDirectMqttBuilderWithMtlsFromPath(host,
                certificate.certificatePem().toString(), certificate.privateKeyPem().toString())) {
            if (certificateAuthority != null) {
                b.withCertificateAuthorityFromPath(null, certificateAuthority.toString());
            }
            return b.withPort((long) port)
                    .withClientId(clientId)
                    .withKeepAliveIntervalSeconds(KEEP_ALIVE_SECONDS)
                    .withSessionBehavior(Mqtt5ClientOptions.ClientSessionBehavior.CLEAN)
                    .withMinReconnectDelayMs(MIN_RECONNECT_DELAY_MS)
                    .withMaxReconnectDelayMs(MAX_RECONNECT_DELAY_MS)
                    .withAckTimeoutSeconds(ACK_TIMEOUT_SECONDS)
                    .withLifeCycleEvents(events)
                    .withPublishEvents(events)
                    .build();
        }
    }

    /**
     * Starts a client and waits for its first connection.
     *
     * @param onMessage incoming publishes as (topic, payload), on a crt event-loop thread (do not block); or null
     * @throws IllegalStateException when it is not connected within {@code timeout}
     */
    public static LocalMqttClient connect(String host, int port, String clientId, BiConsumer<String, byte[]> onMessage,
                                          Duration timeout) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientId, "clientId");
        LocalMqttClient c = new LocalMqttClient(clientId + "@" + host + ":" + port, onMessage,
                events -> plainClient(host, port, clientId, events));
        return c.awaitFirstConnect(timeout);
    }

    /**
     * Starts a client that authenticates with the device's X.509 certificate over mutual TLS (AWS IoT Core, or the
     * local broker's mutual-TLS listener) and waits for its first connection.
     *
     * @param host                 e.g. the account's {@code xxxx-ats.iot.<region>.amazonaws.com} endpoint
     * @param port                 8883 on AWS IoT Core
     * @param clientId             the thing name (IoT Core policies bind the client id to the attached thing)
     * @param certificateAuthority PEM file of the CA that signed the broker's certificate; null for the system trust
     *                             store (Amazon Root CA 1 on AWS IoT Core)
     * @throws IllegalStateException when it is not connected within {@code timeout}, with the last TLS/MQTT error
     */
    public static LocalMqttClient connectMutualTls(String host, int port, String clientId,
                                                   DeviceCertificate certificate, Path certificateAuthority,
                                                   BiConsumer<String, byte[]> onMessage, Duration timeout) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(certificate, "certificate");
        LocalMqttClient c = new LocalMqttClient(clientId + "@mtls://" + host + ":" + port, onMessage,
                events -> mutualTlsClient(host, port, clientId, certificate, certificateAuthority, events));
        return c.awaitFirstConnect(timeout);
    }

    private LocalMqttClient awaitFirstConnect(Duration timeout) {
        LocalMqttClient c = this;
        c.client.start();
        try {
            c.firstConnect.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            c.close();
            int error = c.lastConnectError;
            throw new IllegalStateException(c.name + ": not connected within " + timeout.toMillis() + " ms"
                    + (error == 0 ? "" : " (last error: " + CRT.awsErrorName(error) + ", "
                    + CRT.awsErrorString(error) + ")"), e);
        }
        return c;
    }

    /** Subscribes at QoS 1 and waits for the SUBACK; renewed after every reconnect. */
    public void subscribe(String topicFilter, Duration timeout) {
        SubAckPacket ack = await(client.subscribe(new SubscribePacket.SubscribePacketBuilder()
                .withSubscription(topicFilter, QOS.AT_LEAST_ONCE).build()), timeout, "SUBACK for " + topicFilter);
        if (ack.getReasonCodes().isEmpty() || ack.getReasonCodes().get(0).getValue() > 2) {
            throw new IllegalStateException(name + ": subscription to " + topicFilter + " refused: " + ack.getReasonCodes());
        }
        subscriptions.addIfAbsent(topicFilter);
    }

    /** Publishes at QoS 1; the future completes when the broker acknowledged it (PUBACK). */
    public CompletableFuture<PubAckPacket> publish(String topic, byte[] payload) {
        return client.publish(new PublishPacket.PublishPacketBuilder().withTopic(topic).withQOS(QOS.AT_LEAST_ONCE)
                .withPayload(payload).build()).thenApply(PublishResult::getResultPubAck);
    }

    /** Publishes at QoS 1 and waits for the PUBACK. */
    public void publishAndWait(String topic, byte[] payload, Duration timeout) {
        PubAckPacket ack = await(publish(topic, payload), timeout, "PUBACK for " + topic);
        if (ack != null && ack.getReasonCode().getValue() >= 0x80) {
            throw new IllegalStateException(name + ": publish on " + topic + " refused: " + ack.getReasonCode());
        }
    }

    public boolean isConnected() {
        return !closed && client.getIsConnected();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.stop();
            stopped.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug(name + ": stop did not complete cleanly", e);
        } finally {
            client.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted waiting for " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": no " + what + " within " + timeout.toMillis() + " ms: " + e, e);
        }
    }

    private final class Events implements Mqtt5ClientOptions.LifecycleEvents, Mqtt5ClientOptions.PublishEvents {
        private final BiConsumer<String, byte[]> onMessage;

        Events(BiConsumer<String, byte[]> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) {
        }

        @Override
        public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
            if (!firstConnect.isDone()) {
                firstConnect.complete(null);
                return;
            }
            LOG.info(name + ": reconnected, renewing " + subscriptions.size() + " subscriptions");
            for (String filter : subscriptions) {
                c.subscribe(new SubscribePacket.SubscribePacketBuilder().withSubscription(filter, QOS.AT_LEAST_ONCE)
                        .build());
            }
        }

        @Override
        public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {
            lastConnectError = r.getErrorCode();
            LOG.debug(name + ": connection attempt failed, crt error " + CRT.awsErrorName(r.getErrorCode()));
        }

        @Override
        public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) {
            if (!closed) {
                LOG.warn(name + ": disconnected, crt error " + r.getErrorCode());
            }
        }

        @Override
        public void onStopped(Mqtt5Client c, OnStoppedReturn r) {
            stopped.complete(null);
        }

        @Override
        public void onMessageReceived(Mqtt5Client c, PublishReturn r) {
            if (onMessage == null) {
                return;
            }
            PublishPacket p = r.getPublishPacket();
            byte[] payload = p.getPayload() == null ? new byte[0] : p.getPayload();
            try {
                onMessage.accept(p.getTopic(), payload);
            } catch (RuntimeException e) {
                LOG.warn(name + ": message handler failed", e);
            }
        }
    }
}
