package io.waybill.edge.testing;

import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.uplink.Uplink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An uplink that is always up and confirms every publish at once; keeps what was sent, in order. */
public final class RecordingUplink implements Uplink {
    public record Sent(String topic, byte[] payload) {
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Void> publish(String topic, byte[] payload) {
        sent.add(new Sent(topic, payload.clone()));
        return CompletableFuture.completedFuture(null);
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    public List<EdgeMessage> messages() {
        return sent().stream().map(s -> EdgeMessageJson.fromBytes(s.payload())).toList();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void close() {
        // nothing to release
    }
}
