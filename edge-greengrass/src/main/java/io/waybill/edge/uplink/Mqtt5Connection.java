package io.waybill.edge.uplink;

import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.PublishReturn;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One aws-crt {@link Mqtt5Client} with its connection state tracked from the lifecycle events: the common part of
 * {@link Mqtt5Uplink} and the MQTT sensor source.
 *
 * <p>The client reconnects by itself (exponential back-off between the configured delays). Its offline queue is set to
 * {@code FAIL_ALL_ON_DISCONNECT}: an operation in flight when the link drops fails instead of waiting in memory, because
 * the component's spool, not the client, is the store-and-forward queue. Sessions are clean.
 *
 * <p>Plain TCP ({@link #plainTcp}) is for a local broker: the SDK's {@code AwsIotMqtt5ClientBuilder} always sets up TLS
 * and cannot talk to a plain port, so the options are built directly on the crt.
 */
public final class Mqtt5Connection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Mqtt5Connection.class.getName());

    private final String name;
    private final Mqtt5Client client;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final CopyOnWriteArrayList<Runnable> onConnect = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Runnable> onDisconnect = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Void> nextConnect = new CompletableFuture<>();

    private Mqtt5Connection(String name, Function<Events, Mqtt5Client> factory, Consumer<PublishReturn> onMessage) {
        this.name = name;
        this.client = factory.apply(new Events(onMessage));
    }

    /**
     * A started client to a plain-TCP broker.
     *
     * @param clientId          the MQTT client id (unique per broker)
     * @param minReconnectDelay first reconnect delay; doubles up to {@code maxReconnectDelay}
     * @param ackTimeout        how long the client waits for a PUBACK / SUBACK
     * @param onMessage         incoming publishes (on a crt event-loop thread; do not block), or null
     */
    public static Mqtt5Connection plainTcp(MqttEndpoint endpoint, String clientId, Duration minReconnectDelay,
                                           Duration maxReconnectDelay, Duration ackTimeout,
                                           Consumer<PublishReturn> onMessage) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(clientId, "clientId");
        Mqtt5Connection c = new Mqtt5Connection(clientId + "@" + endpoint, events -> {
            Mqtt5ClientOptions options = new Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder(endpoint.host(),
                    (long) endpoint.port())
                    .withConnectOptions(new ConnectPacket.ConnectPacketBuilder().withClientId(clientId)
                            .withKeepAliveIntervalSeconds(30L).build())
                    .withSessionBehavior(Mqtt5ClientOptions.ClientSessionBehavior.CLEAN)
                    .withOfflineQueueBehavior(Mqtt5ClientOptions.ClientOfflineQueueBehavior.FAIL_ALL_ON_DISCONNECT)
                    .withMinReconnectDelayMs(minReconnectDelay.toMillis())
                    .withMaxReconnectDelayMs(maxReconnectDelay.toMillis())
                    .withAckTimeoutSeconds(Math.max(1L, ackTimeout.toSeconds()))
                    .withLifecycleEvents(events)
                    .withPublishEvents(events)
                    .build();
            return new Mqtt5Client(options);
        }, onMessage);
        c.client.start();
        return c;
    }

    /**
     * A started client built by the caller from the given lifecycle and publish events (e.g. by the SDK's
     * {@code AwsIotMqtt5ClientBuilder} for AWS IoT Core).
     */
    public static Mqtt5Connection of(String name, Function<Events, Mqtt5Client> factory,
                                     Consumer<PublishReturn> onMessage) {
        Mqtt5Connection c = new Mqtt5Connection(name, factory, onMessage);
        c.client.start();
        return c;
    }

    public Mqtt5Client client() {
        return client;
    }

    public boolean isConnected() {
        return connected.get() && !closed.get();
    }

    /** Runs {@code r} after every successful connection (e.g. to subscribe again: sessions are clean). */
    public void onConnect(Runnable r) {
        onConnect.add(r);
        if (isConnected()) {
            r.run();
        }
    }

    /** Runs {@code r} whenever the connection drops or fails. */
    public void onDisconnect(Runnable r) {
        onDisconnect.add(r);
    }

    private void disconnected() {
        for (Runnable h : onDisconnect) {
            try {
                h.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": on-disconnect handler failed", e);
            }
        }
    }

    /** Waits until the client is connected. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        if (isConnected()) {
            return true;
        }
        try {
            nextConnect.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return isConnected();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            client.stop();
            stopped.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": stop did not complete cleanly", e);
        } finally {
            client.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** The client's lifecycle and publish callbacks. */
    public final class Events implements Mqtt5ClientOptions.LifecycleEvents, Mqtt5ClientOptions.PublishEvents {
        private final Consumer<PublishReturn> onMessage;

        private Events(Consumer<PublishReturn> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) {
        }

        @Override
        public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
            connected.set(true);
            LOG.log(System.Logger.Level.INFO, name + ": connected");
            CompletableFuture<Void> done = nextConnect;
            nextConnect = new CompletableFuture<>();
            done.complete(null);
            for (Runnable h : onConnect) {
                try {
                    h.run();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, name + ": on-connect handler failed", e);
                }
            }
        }

        @Override
        public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {
            connected.set(false);
            disconnected();
            LOG.log(System.Logger.Level.DEBUG, name + ": connection attempt failed, crt error " + r.getErrorCode());
        }

        @Override
        public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) {
            connected.set(false);
            disconnected();
            LOG.log(System.Logger.Level.WARNING, name + ": disconnected, crt error " + r.getErrorCode());
        }

        @Override
        public void onStopped(Mqtt5Client c, OnStoppedReturn r) {
            connected.set(false);
            disconnected();
            stopped.complete(null);
        }

        @Override
        public void onMessageReceived(Mqtt5Client c, PublishReturn r) {
            if (onMessage != null) {
                try {
                    onMessage.accept(r);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, name + ": message handler failed", e);
                }
            }
        }
    }
}
