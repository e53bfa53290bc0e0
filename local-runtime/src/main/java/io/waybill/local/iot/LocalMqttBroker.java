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
    private final int mutualTlsPort;
    private final Path dir;
    private final long startMillis;
    private volatile boolean closed;

    private LocalMqttBroker(EmbeddedHiveMQ hivemq, int port, int mutualTlsPort, Path dir, long startMillis) {
        this.hivemq = hivemq;
        this.port = port;
        this.mutualTlsPort = mutualTlsPort;
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
        return start(baseDir, null, null);
    }

    /** {@link #startWithMutualTls(Path, LocalDeviceAuthority, String)} for the local stack's stage. */
    public static LocalMqttBroker startWithMutualTls(Path baseDir, LocalDeviceAuthority authority) {
        return startWithMutualTls(baseDir, authority, LocalIotRule.LOCAL_STAGE);
    }

    /**
     * Starts a broker with a second listener that requires mutual TLS, as AWS IoT Core does: a device connects only
     * with a certificate signed by {@code authority} (on {@link #mutualTlsPort()}, next to the plain listener that the
     * rule runner and tests use), and publishes only where the authority's device policy lets it
     * ({@link LocalDeviceAuthority#publishRefusal}: its own adapter's topic of {@code stage}).
     */
    public static LocalMqttBroker startWithMutualTls(Path baseDir, LocalDeviceAuthority authority, String stage) {
        java.util.Objects.requireNonNull(authority, "authority");
        return start(baseDir, authority.brokerKeyMaterial(), new DevicePolicyExtension(authority, stage));
    }

    private static LocalMqttBroker start(Path baseDir, LocalDeviceAuthority.BrokerKeyMaterial tls,
                                         DevicePolicyExtension policy) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            int tlsPort = tls == null ? -1 : freeLoopbackPort();
            try {
                return startOn(baseDir, port, tlsPort, tls, policy);
            } catch (RuntimeException e) {
                // Most likely the port was taken between the probe and HiveMQ's bind.
                LOG.warn("HiveMQ did not start on port " + port + " (attempt " + attempt
                        + "): " + e);
                last = e;
            }
        }
        throw new IllegalStateException("the local MQTT broker did not start: " + last, last);
    }

    private static LocalMqttBroker startOn(Path baseDir, int port, int tlsPort,
                                           LocalDeviceAuthority.BrokerKeyMaterial tls, DevicePolicyExtension policy) {
        long t0 = System.nanoTime();
        Path dir = baseDir.toAbsolutePath().normalize().resolve("hivemq-" + port);
        EmbeddedHiveMQ h;
        try {
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Path config = conf.resolve("config.xml");
            Files.deleteIfExists(config);
            Files.createFile(config);
            try {
                // It holds the keystore password when mutual TLS is on: owner-only.
                Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX
            }
            Files.writeString(config, configXml(port, tlsPort, tls));
            var builder = EmbeddedHiveMQ.builder();
            if (policy != null) {
                builder.withEmbeddedExtension(com.hivemq.embedded.EmbeddedExtension.builder()
                        .withId("waybill-device-policy").withName("Waybill device policy").withVersion("1")
                        .withAuthor("Waybill").withPriority(1000).withStartPriority(1000)
                        .withExtensionMain(policy).build());
            }
            h = builder
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
        LOG.info("Local MQTT broker (HiveMQ CE) on tcp://" + HOST + ":" + port
                + (tls == null ? "" : " and mutual TLS on " + HOST + ":" + tlsPort) + " started in " + ms + " ms ("
                + dir + ")");
        return new LocalMqttBroker(h, port, tlsPort, dir, ms);
    }

    /**
     * The generated HiveMQ configuration: one TCP listener on loopback (and, with key material, a TLS listener that
     * requires a client certificate), in-memory persistence, no statistics.
     */
    static String configXml(int port) {
        return configXml(port, -1, null);
    }

    static String configXml(int port, int tlsPort, LocalDeviceAuthority.BrokerKeyMaterial tls) {
        String tlsListener = tls == null ? "" : """
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <tls>
                        <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>
                        <keystore>
                          <path>%s</path>
                          <password>%s</password>
                          <private-key-password>%s</private-key-password>
                        </keystore>
                        <truststore>
                          <path>%s</path>
                          <password>%s</password>
                        </truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>
                """.formatted(tlsPort, HOST, tls.keystore().toAbsolutePath(), tls.password(), tls.password(),
                tls.truststore().toAbsolutePath(), tls.password());
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                %s  </listeners>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST, tlsListener);
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The mutual-TLS listener's port; -1 when the broker was started without one. */
    public int mutualTlsPort() {
        return mutualTlsPort;
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
