package io.waybill.local.iot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.waybill.local.stack.LocalRuntimeLocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT 3.1.1/5 broker in the JVM: HiveMQ Community Edition embedded, on a free loopback port, plain TCP,
 * in-memory persistence, anonymous usage statistics off, no extensions. It stands in for AWS IoT Core's message
 * broker: devices (or the edge component) publish on it and {@link LocalRuleRunner} subscribes to it.
 *
 * <p>Each broker gets {@code <dir>/hivemq-<port>/} with a generated {@code conf/config.xml} and {@code data/} and
 * {@code extensions/} folders; the default directory is {@code local-runtime/target/local-mqtt/}. HiveMQ logs through
 * the JVM's SLF4J binding (loggers {@code com.hivemq}), its own Logback bootstrap is switched off.
 */
public final class LocalMqttBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMqttBroker.class);
    /** The broker's listen address. */
    public static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final Path dir;
    private final long startMillis;
    private volatile boolean closed;

    private LocalMqttBroker(EmbeddedHiveMQ hivemq, int port, Path dir, long startMillis) {
        this.hivemq = hivemq;
        this.port = port;
        this.dir = dir;
        this.startMillis = startMillis;
    }

    /** Starts a broker under {@code local-runtime/target/local-mqtt/} (found like the emulators' directory). */
    public static LocalMqttBroker start() {
        return start(LocalRuntimeLocator.locate().resolve("target").resolve("local-mqtt"));
    }

    /**
     * Starts a broker on a free loopback port with its folders under {@code baseDir}.
     *
     * @throws IllegalStateException when it does not start (after {@value #START_ATTEMPTS} attempts on fresh ports)
     */
    public static LocalMqttBroker start(Path baseDir) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            try {
                return startOn(baseDir, port);
            } catch (RuntimeException e) {
                // Most likely the port was taken between the probe and HiveMQ's bind.
                LOG.warn("HiveMQ did not start on port " + port + " (attempt " + attempt
                        + "): " + e);
                last = e;
            }
        }
        throw new IllegalStateException("the local MQTT broker did not start: " + last, last);
    }

    private static LocalMqttBroker startOn(Path baseDir, int port) {
        long t0 = System.nanoTime();
        Path dir = baseDir.toAbsolutePath().normalize().resolve("hivemq-" + port);
        EmbeddedHiveMQ h;
        try {
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), configXml(port));
            h = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(dir.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                    .withoutLoggingBootstrap()
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        try {
            h.start().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            closeQuietly(h);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("HiveMQ start failed on " + HOST + ":" + port + ": " + e, e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("Local MQTT broker (HiveMQ CE) on tcp://" + HOST + ":" + port + " started in "
                + ms + " ms (" + dir + ")");
        return new LocalMqttBroker(h, port, dir, ms);
    }

    /** The generated HiveMQ configuration: one TCP listener on loopback, in-memory persistence, no statistics. */
    static String configXml(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST);
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public URI uri() {
        return URI.create("tcp://" + HOST + ":" + port);
    }

    /** This broker's folder ({@code conf/}, {@code data/}, {@code extensions/}). */
    public Path directory() {
        return dir;
    }

    /** How long {@code start} took, ms. */
    public long startTimeMillis() {
        return startMillis;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("HiveMQ on port " + port + " did not stop cleanly: " + e);
        } finally {
            closeQuietly(hivemq);
        }
        LOG.info("Local MQTT broker on port " + port + " stopped in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @Override
    public String toString() {
        return "LocalMqttBroker[" + uri() + "]";
    }

    private static void closeQuietly(EmbeddedHiveMQ h) {
        try {
            h.close();
        } catch (Exception e) {
            LOG.debug("HiveMQ close failed", e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
