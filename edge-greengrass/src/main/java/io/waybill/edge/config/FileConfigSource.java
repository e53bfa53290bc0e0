package io.waybill.edge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The standalone equivalent of a deployment's configuration merge: the {@code --config FILE} JSON, re-read when its
 * content changes (checked every {@link #DEFAULT_POLL_INTERVAL}). Edit the file (e.g. set {@code shipmentSscc}) and
 * the running component picks it up as it would a Greengrass configuration update.
 */
public final class FileConfigSource implements ConfigSource {
    /** 2 s: an edit is picked up within a couple of seconds; a hash of a small file costs nothing. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(FileConfigSource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Duration pollInterval;
    private ScheduledExecutorService poller;
    private Runnable listener;
    private byte[] lastDigest;

    public FileConfigSource(Path file, Duration pollInterval) {
        this.file = Objects.requireNonNull(file, "file");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    public FileConfigSource(Path file) {
        this(file, DEFAULT_POLL_INTERVAL);
    }

    @Override
    public synchronized JsonNode read() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        lastDigest = sha256(bytes);
        return JSON.readTree(bytes);
    }

    @Override
    public synchronized void watch(Runnable changed) {
        if (listener != null) {
            throw new IllegalStateException("already watched");
        }
        listener = Objects.requireNonNull(changed, "changed");
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "waybill-edge-config-file");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollQuietly, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Checks the file once; signals the listener when its content differs from the last read. */
    public void poll() throws IOException {
        Runnable signal;
        synchronized (this) {
            byte[] digest = sha256(Files.readAllBytes(file));
            if (listener == null || Arrays.equals(digest, lastDigest)) {
                return;
            }
            lastDigest = digest;
            signal = listener;
        }
        signal.run();
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration file " + file + " not re-read: " + e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "configuration file " + file;
    }
}
