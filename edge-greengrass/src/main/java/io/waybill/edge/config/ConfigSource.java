package io.waybill.edge.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

/**
 * The port the component's live configuration comes in through: the whole configuration now, and a signal when it
 * changed. Under Greengrass it is the nucleus ({@link IpcConfigSource}: IPC {@code GetConfiguration} and
 * {@code SubscribeToConfigurationUpdate}, so a deployment's configuration merge reaches the running component);
 * standalone it is a file ({@link FileConfigSource}, re-read when it changes) or a fixed value
 * ({@link #fixed(JsonNode)}: the {@code WAYBILL_EDGE_CONFIG} variable, or nothing).
 */
public interface ConfigSource extends AutoCloseable {

    /**
     * The component's configuration now: the recipe's defaults with every deployment's merge applied, or null when
     * there is none (the defaults apply).
     *
     * @throws IOException when it cannot be read (the caller keeps what it has)
     */
    JsonNode read() throws IOException;

    /**
     * Calls {@code changed} (on a thread of the source) each time the configuration may have changed; the listener
     * re-reads with {@link #read()}. A change of several keys may signal more than once. Called at most once.
     */
    void watch(Runnable changed);

    /** Stops signalling. Closing twice does nothing. */
    @Override
    void close();

    /** A configuration that never changes. */
    static ConfigSource fixed(JsonNode value) {
        return new ConfigSource() {
            @Override
            public JsonNode read() {
                return value;
            }

            @Override
            public void watch(Runnable changed) {
                // never changes
            }

            @Override
            public void close() {
                // nothing to release
            }

            @Override
            public String toString() {
                return "fixed configuration";
            }
        };
    }
}
