package io.waybill.edge.testing;

import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.uplink.Uplink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An uplink that is always up and confirms every publish at once: the PUBACK, and, to a component that waits for the
 * cloud, a storage confirmation of the message's sequence (a cloud that stores everything). Keeps what was sent, in
 * order.
 */
public final class RecordingUplink implements Uplink {
    private volatile java.util.function.Consumer<byte[]> confirmations;

    /** Confirms {@code payload}'s sequence to the component, as a cloud that stored it would. */
    public static void confirm(java.util.function.Consumer<byte[]> to, byte[] payload) {
        if (to != null) {
            long seq;
            try {
                seq = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).get("sequence").asLong();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            to.accept(io.waybill.edge.uplink.StorageConfirmation.payloadOf(List.of(seq)));
        }
    }

    @Override
    public boolean subscribeConfirmations(String topic, java.util.function.Consumer<byte[]> handler) {
        confirmations = handler;
        return true;
    }

    public record Sent(String topic, byte[] payload) {
    }

    private final List<Sent> sent = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Void> publish(String topic, byte[] payload) {
        sent.add(new Sent(topic, payload.clone()));
        confirm(confirmations, payload);
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
