package io.waybill.edge.testing;

import io.waybill.edge.uplink.Mqtt5Connection;
import io.waybill.edge.uplink.MqttEndpoint;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A plain MQTT 5 subscriber (aws-crt client) that records what it receives. */
public final class TestSubscriber implements AutoCloseable {
    /** A message as delivered to the subscriber. */
    public record Message(String topic, QOS qos, byte[] payload) {
    }

    private final Mqtt5Connection connection;
    private final List<Message> messages;

    private TestSubscriber(Mqtt5Connection connection, List<Message> messages) {
        this.connection = connection;
        this.messages = messages;
    }

    public static TestSubscriber subscribe(MqttEndpoint endpoint, String clientId, String topicFilter)
            throws Exception {
        List<Message> sink = Collections.synchronizedList(new ArrayList<>());
        Mqtt5Connection c = Mqtt5Connection.plainTcp(endpoint, clientId, Duration.ofMillis(100),
                Duration.ofMillis(500), Duration.ofSeconds(5), r -> {
                    var p = r.getPublishPacket();
                    sink.add(new Message(p.getTopic(), p.getQOS(), p.getPayload()));
                });
        TestSubscriber s = new TestSubscriber(c, sink);
        if (!c.awaitConnected(Duration.ofSeconds(10))) {
            throw new IllegalStateException("subscriber did not connect to " + endpoint);
        }
        c.client().subscribe(new SubscribePacket.SubscribePacketBuilder(topicFilter, QOS.AT_LEAST_ONCE).build())
                .get(10, TimeUnit.SECONDS);
        return s;
    }

    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Waits until the messages satisfy {@code done}; returns them. */
    public List<Message> await(Predicate<List<Message>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> m = messages();
            if (done.test(m)) {
                return m;
            }
            Thread.sleep(20);
        }
        return messages();
    }

    @Override
    public void close() {
        connection.close();
    }
}
