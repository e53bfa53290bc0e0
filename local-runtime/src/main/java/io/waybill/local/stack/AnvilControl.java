package io.waybill.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * anvil's test methods over plain JSON-RPC, for tests that need stuck transactions and reorganisations: stop
 * automining so that sent transactions stay pending, mine on demand, take a snapshot and revert to it (the blocks
 * after it disappear: a reorganisation as far as a client can tell), drop a pending transaction, raise the next base
 * fee so that a transaction's fee cap is too low.
 */
public final class AnvilControl {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI rpcUrl;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    public AnvilControl(URI rpcUrl) {
        this.rpcUrl = Objects.requireNonNull(rpcUrl, "rpcUrl");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** {@code evm_setAutomine}: with false, transactions stay pending until {@link #mine()}. */
    public void setAutomine(boolean enabled) {
        call("evm_setAutomine", List.of(enabled));
    }

    /** {@code evm_mine}: mines one block with what is pending. */
    public void mine() {
        call("evm_mine", List.of());
    }

    /** {@code evm_snapshot}: the id to {@link #revert} to. */
    public String snapshot() {
        return call("evm_snapshot", List.of()).asText();
    }

    /**
     * {@code evm_revert}: the chain goes back to the snapshot; the blocks mined since are gone (and the snapshot is
     * used up, as anvil does).
     *
     * @return whether anvil knew the snapshot
     */
    public boolean revert(String snapshotId) {
        return call("evm_revert", List.of(snapshotId)).asBoolean();
    }

    /** {@code anvil_dropTransaction}: removes a pending transaction from the pool. */
    public void dropTransaction(String txHash) {
        call("anvil_dropTransaction", List.of(txHash));
    }

    /** {@code anvil_setNextBlockBaseFeePerGas}, in wei. */
    public void setNextBlockBaseFeePerGas(BigInteger wei) {
        call("anvil_setNextBlockBaseFeePerGas", List.of("0x" + wei.toString(16)));
    }

    /** {@code eth_blockNumber}. */
    public long blockNumber() {
        return Long.decode(call("eth_blockNumber", List.of()).asText());
    }

    /** Any JSON-RPC method; the result node (JSON null when the result is null). */
    public JsonNode call(String method, List<?> params) {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet())
                .put("method", method);
        request.set("params", JSON.valueToTree(params));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(rpcUrl).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " at " + rpcUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " at " + rpcUrl + ": HTTP " + response.statusCode());
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + ": not JSON", e);
        }
        if (body.hasNonNull("error")) {
            throw new IllegalStateException(method + " refused: " + body.get("error"));
        }
        return body.path("result");
    }
}
