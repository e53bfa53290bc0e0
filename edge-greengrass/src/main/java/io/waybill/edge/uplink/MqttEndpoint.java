package io.waybill.edge.uplink;

import java.net.URI;
import java.util.Objects;

/**
 * A plain-TCP MQTT broker address, {@code tcp://host:port} (port 1883 when left out).
 *
 * @param host the broker's host name or address
 * @param port the broker's TCP port
 */
public record MqttEndpoint(String host, int port) {
    public static final int DEFAULT_PORT = 1883;

    public MqttEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host is blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    /** Parses {@code tcp://host:port}, {@code mqtt://host:port} or {@code host:port}. */
    public static MqttEndpoint parse(String s) {
        Objects.requireNonNull(s, "broker");
        String withScheme = s.contains("://") ? s : "tcp://" + s;
        URI uri = URI.create(withScheme);
        if (!uri.getScheme().equals("tcp") && !uri.getScheme().equals("mqtt")) {
            throw new IllegalArgumentException("only plain tcp:// brokers are supported here (TLS is the AWS IoT "
                    + "Core factory's business): " + s);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in broker address " + s);
        }
        return new MqttEndpoint(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
    }

    @Override
    public String toString() {
        return "tcp://" + host + ":" + port;
    }
}
