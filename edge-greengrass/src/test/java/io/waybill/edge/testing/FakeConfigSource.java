package io.waybill.edge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.edge.config.ConfigSource;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The component configuration as a test sets it: {@link #merge(String)} applies a deployment-style configuration
 * merge (top-level keys replaced) and signals the watcher, on the caller's thread, as the nucleus would after a
 * deployment.
 */
public final class FakeConfigSource implements ConfigSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Runnable> listeners = new ArrayList<>();
    private com.fasterxml.jackson.databind.node.ObjectNode value;

    public FakeConfigSource(String json) {
        this.value = (com.fasterxml.jackson.databind.node.ObjectNode) parse(json);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A configuration merge of {@code json}'s top-level keys, then the update signal. */
    public void merge(String json) {
        synchronized (this) {
            value = value.deepCopy();
            parse(json).fields().forEachRemaining(e -> value.set(e.getKey(), e.getValue()));
        }
        List<Runnable> l;
        synchronized (this) {
            l = List.copyOf(listeners);
        }
        l.forEach(Runnable::run);
    }

    @Override
    public synchronized JsonNode read() {
        return value.deepCopy();
    }

    @Override
    public synchronized void watch(Runnable changed) {
        listeners.add(changed);
    }

    @Override
    public synchronized void close() {
        listeners.clear();
    }
}
