package io.waybill.edge.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.waybill.edge.uplink.MqttEndpoint;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedded HiveMQ CE broker on a loopback TCP port (in-memory persistence, no usage statistics) for tests. Every
 * publish the broker receives is also recorded by an embedded extension ({@link #received()}), whether or not anyone
 * subscribed: the "receiving side" that survives broker restarts. {@link #stop()} and {@link #start()} restart the
 * broker on the same port (a new instance: in-memory state is gone, as after a real broker restart).
 *
 * <p>It also stands in for the cloud behind the broker: a message on an edge uplink topic
 * {@code dt/waybill/<stage>/waybill-edge/<thing>} is <em>stored</em> ({@link #stored}: the first copy of each
 * (thing, sequence), as ingest dedupes) and its storage confirmed on {@code cmd/waybill/<stage>/<thing>/stored}, as the
 * edge-acknowledgement function does; {@link #storing(boolean)} switches the storing off (the broker still accepts
 * every publish: a cloud whose ingest is down). {@link #refuse} makes the broker refuse matching publishes for good
 * (PUBACK {@code NOT_AUTHORIZED}).
 */
public final class EmbeddedBroker implements AutoCloseable {
    /** One publish as the broker received it. */
    public record Received(String clientId, String topic, int qos, byte[] payload) {
    }

    private final Path root;
    private final int port;
    private final List<Received> received = new ArrayList<>();
    /** thing -> sequence -> the first stored copy; survives broker restarts. */
    private final java.util.Map<String, java.util.TreeMap<Long, byte[]>> stored = new java.util.HashMap<>();
    private final java.util.Map<String, java.util.Map<Long, Integer>> storeAttempts = new java.util.HashMap<>();
    private volatile boolean storing = true;
    private volatile java.util.function.Predicate<Received> refused = r -> false;
    private static final java.util.regex.Pattern UPLINK =
            java.util.regex.Pattern.compile("dt/waybill/([^/]+)/waybill-edge/([^/]+)");
    private EmbeddedHiveMQ hivemq;
    private int generation;

    private EmbeddedBroker(Path root, int port) {
        this.root = root;
        this.port = port;
    }

    /** Starts a broker on a free loopback port under {@code root}. */
    public static EmbeddedBroker start(Path root) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EmbeddedBroker b = new EmbeddedBroker(root, port);
        b.start();
        return b;
    }

    public MqttEndpoint endpoint() {
        return new MqttEndpoint("127.0.0.1", port);
    }

    public int port() {
        return port;
    }

    public synchronized void start() throws Exception {
        if (hivemq != null) {
            return;
        }
        Path dir = root.resolve("hivemq-" + (generation++));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                    </tcp-listener>
                  </listeners>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        EmbeddedExtension capture = EmbeddedExtension.builder()
                .withId("waybill-capture").withName("waybill-capture").withVersion("1").withAuthor("waybill")
                .withPriority(0).withStartPriority(1000)
                .withExtensionMain(new CaptureMain()).build();
        EmbeddedHiveMQ h = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .withEmbeddedExtension(capture)
                .build();
        h.start().join();
        hivemq = h;
    }

    /** Stops the broker (clients see the link drop); {@link #start()} brings a fresh one up on the same port. */
    public synchronized void stop() throws Exception {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().join();
        } finally {
            hivemq.close();
            hivemq = null;
        }
    }

    /** Every publish received so far, in arrival order. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** Whether the stand-in cloud stores (and confirms) what arrives; on by default. */
    public void storing(boolean on) {
        storing = on;
    }

    /** Publishes matching {@code p} are refused with {@code NOT_AUTHORIZED}: not delivered, not stored. */
    public void refuse(java.util.function.Predicate<Received> p) {
        refused = p;
    }

    /** The stored messages of {@code thing} by sequence (the first copy of each). */
    public java.util.SortedMap<Long, byte[]> stored(String thing) {
        synchronized (stored) {
            return new java.util.TreeMap<>(stored.getOrDefault(thing, new java.util.TreeMap<>()));
        }
    }

    /** How often each sequence of {@code thing} reached the store (1 = never resent, 2+ = a duplicate absorbed). */
    public java.util.Map<Long, Integer> storeAttempts(String thing) {
        synchronized (stored) {
            return new java.util.HashMap<>(storeAttempts.getOrDefault(thing, java.util.Map.of()));
        }
    }

    private void storeAndConfirm(Received r) {
        java.util.regex.Matcher m = UPLINK.matcher(r.topic());
        if (!storing || !m.matches()) {
            return;
        }
        long seq;
        try {
            seq = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.payload()).get("sequence").asLong();
        } catch (Exception e) {
            return; // not an edge message: nothing stored, nothing confirmed
        }
        String thing = m.group(2);
        synchronized (stored) {
            stored.computeIfAbsent(thing, t -> new java.util.TreeMap<>()).putIfAbsent(seq, r.payload());
            storeAttempts.computeIfAbsent(thing, t -> new java.util.HashMap<>()).merge(seq, 1, Integer::sum);
        }
        Services.publishService().publish(com.hivemq.extension.sdk.api.services.builder.Builders.publish()
                .topic(io.waybill.edge.uplink.StorageConfirmation.topic(m.group(1), thing))
                .qos(com.hivemq.extension.sdk.api.packets.general.Qos.AT_LEAST_ONCE)
                .payload(ByteBuffer.wrap(io.waybill.edge.uplink.StorageConfirmation.payloadOf(List.of(seq))))
                .build());
    }

    private final class CaptureMain implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
            PublishInboundInterceptor interceptor = (input, output) -> {
                var p = input.getPublishPacket();
                byte[] bytes = new byte[0];
                if (p.getPayload().isPresent()) {
                    ByteBuffer buf = p.getPayload().get().asReadOnlyBuffer();
                    bytes = new byte[buf.remaining()];
                    buf.get(bytes);
                }
                Received r = new Received(input.getClientInformation().getClientId(), p.getTopic(),
                        p.getQos().getQosNumber(), bytes);
                if (refused.test(r)) {
                    output.preventPublishDelivery(
                            com.hivemq.extension.sdk.api.packets.publish.AckReasonCode.NOT_AUTHORIZED);
                    return;
                }
                synchronized (received) {
                    received.add(r);
                }
                storeAndConfirm(r);
            };
            Services.initializerRegistry().setClientInitializer((init, ctx) ->
                    ctx.addPublishInboundInterceptor(interceptor));
        }

        @Override
        public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
        }
    }
}
