package io.waybill.edge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.aws.greengrass.GreengrassCoreIPCClientV2;
import software.amazon.awssdk.aws.greengrass.SubscribeToConfigurationUpdateResponseHandler;
import software.amazon.awssdk.aws.greengrass.model.GetConfigurationRequest;
import software.amazon.awssdk.aws.greengrass.model.SubscribeToConfigurationUpdateRequest;
import software.amazon.awssdk.aws.greengrass.model.SubscribeToConfigurationUpdateResponse;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The component's configuration from the Greengrass nucleus: {@code GetConfiguration} of its own whole configuration
 * (key path {@code []}), and {@code SubscribeToConfigurationUpdate} on it, which the nucleus signals whenever a
 * deployment's configuration merge or reset changes a key. Neither needs an {@code accessControl} entry (a component
 * reads its own configuration). A thin adapter: what a change means is {@code ShipmentAssignments}' business.
 *
 * <p><b>Compile-only in this build</b> (needs a nucleus).
 */
public final class IpcConfigSource implements ConfigSource {
    private static final System.Logger LOG = System.getLogger(IpcConfigSource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GreengrassCoreIPCClientV2 ipc;
    private GreengrassCoreIPCClientV2.StreamingResponse<SubscribeToConfigurationUpdateResponse,
            SubscribeToConfigurationUpdateResponseHandler> subscription;

    public IpcConfigSource(GreengrassCoreIPCClientV2 ipc) {
        this.ipc = Objects.requireNonNull(ipc, "ipc");
    }

    @Override
    public JsonNode read() throws IOException {
        try {
            return JSON.valueToTree(ipc.getConfiguration(new GetConfigurationRequest().withKeyPath(List.of()))
                    .getValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the component configuration", e);
        } catch (RuntimeException e) {
            throw new IOException("GetConfiguration failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void watch(Runnable changed) {
        Objects.requireNonNull(changed, "changed");
        if (subscription != null) {
            throw new IllegalStateException("already watched");
        }
        try {
            subscription = ipc.subscribeToConfigurationUpdate(
                    new SubscribeToConfigurationUpdateRequest().withKeyPath(List.of()),
                    event -> changed.run(),
                    Optional.of(error -> {
                        LOG.log(System.Logger.Level.WARNING, "configuration update stream error: " + error);
                        return false; // keep the stream open
                    }),
                    Optional.of(() -> LOG.log(System.Logger.Level.INFO, "configuration update stream closed")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to configuration updates", e);
        }
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            try {
                subscription.getHandler().closeStream();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the configuration subscription failed", e);
            }
            subscription = null;
        }
    }

    @Override
    public String toString() {
        return "Greengrass component configuration (IPC)";
    }
}
