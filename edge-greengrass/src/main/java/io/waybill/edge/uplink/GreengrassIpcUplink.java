package io.waybill.edge.uplink;

import software.amazon.awssdk.aws.greengrass.GreengrassCoreIPCClientV2;
import software.amazon.awssdk.aws.greengrass.model.PublishToIoTCoreRequest;
import software.amazon.awssdk.aws.greengrass.model.QOS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Uplink} under the Greengrass v2 nucleus: IPC {@code PublishToIoTCore} with QoS {@code AT_LEAST_ONCE}
 * through {@link GreengrassCoreIPCClientV2}. The nucleus holds the one MQTT connection of the core device to AWS IoT
 * Core and the recipe's {@code accessControl} allows this component {@code aws.greengrass#PublishToIoTCore} on its own
 * topic only.
 *
 * <p><b>Compile-only in this build</b>: the client connects to the nucleus' domain socket named by
 * {@code AWS_GG_NUCLEUS_DOMAIN_SOCKET_FILEPATH_FOR_COMPONENT} with the {@code SVCUID} token, both of which only a
 * nucleus provides. The response to a QoS 1 {@code PublishToIoTCore} arrives once the nucleus' MQTT client has the
 * PUBACK, so completing on it keeps the "acknowledge after PUBACK" contract. (If the nucleus itself is offline it
 * queues the publish in its own spooler, see its {@code mqtt.spooler} settings, and still answers only once sent; the
 * publish timeout then fails the attempt and the component's spool keeps the message.)
 *
 * <p>The link is "connected" while the IPC connection is open: whether the nucleus reaches IoT Core is not visible
 * over IPC, so a down cloud link shows up as publishes that time out, and the drain loop backs off.
 */
public final class GreengrassIpcUplink implements Uplink {
    private final GreengrassCoreIPCClientV2 ipc;
    private final Duration publishTimeout;
    private volatile boolean closed;

    public GreengrassIpcUplink(GreengrassCoreIPCClientV2 ipc, Duration publishTimeout) {
        this.ipc = Objects.requireNonNull(ipc, "ipc");
        this.publishTimeout = Objects.requireNonNull(publishTimeout, "publishTimeout");
    }

    /** Connects to the nucleus from the environment Greengrass gives a component process. */
    public static GreengrassIpcUplink connect(Duration publishTimeout) {
        try {
            return new GreengrassIpcUplink(GreengrassCoreIPCClientV2.builder().build(), publishTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to the Greengrass nucleus over IPC", e);
        }
    }

    /** The IPC client, to share with the IPC sensor source and configuration reads. */
    public GreengrassCoreIPCClientV2 ipc() {
        return ipc;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        PublishToIoTCoreRequest request = new PublishToIoTCoreRequest().withTopicName(topic)
                .withQos(QOS.AT_LEAST_ONCE).withPayload(payload);
        return ipc.publishToIoTCoreAsync(request)
                .<Void>thenApply(response -> null)
                .orTimeout(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isConnected() {
        return !closed && (!confirming || subscribed);
    }

    @Override
    public boolean isLinkUp() {
        return !closed;
    }

    private volatile boolean confirming;
    private volatile boolean subscribed;

    /**
     * IPC {@code SubscribeToIoTCore} (QoS 1) on {@code topic}: the nucleus holds the subscription on the core's own
     * MQTT connection and keeps it across reconnections. The recipe's {@code accessControl} allows
     * {@code aws.greengrass#SubscribeToIoTCore} on this component's own {@code cmd/waybill/<stage>/<thing>/stored}
     * only. Compile-only here (see the class comment).
     */
    @Override
    public boolean subscribeConfirmations(String topic, java.util.function.Consumer<byte[]> handler) {
        confirming = true;
        try {
            ipc.subscribeToIoTCore(new software.amazon.awssdk.aws.greengrass.model.SubscribeToIoTCoreRequest()
                            .withTopicName(topic).withQos(QOS.AT_LEAST_ONCE),
                    m -> {
                        if (m.getMessage() != null && topic.equals(m.getMessage().getTopicName())) {
                            handler.accept(m.getMessage().getPayload());
                        }
                    },
                    java.util.Optional.of(error -> {
                        System.getLogger(GreengrassIpcUplink.class.getName()).log(System.Logger.Level.WARNING,
                                "subscription to " + topic + " failed", error);
                        return false;
                    }),
                    java.util.Optional.of(() -> subscribed = false));
            subscribed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UplinkException("subscribing to " + topic + " was interrupted", e);
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ipc.close();
        } catch (Exception e) {
            System.getLogger(GreengrassIpcUplink.class.getName()).log(System.Logger.Level.DEBUG,
                    "closing the IPC client failed", e);
        }
    }
}
