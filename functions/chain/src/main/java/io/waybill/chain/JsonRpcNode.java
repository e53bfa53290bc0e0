package io.waybill.chain;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;

import io.waybill.domain.provenance.ChainRejectedException;
import io.waybill.domain.provenance.ChainUnavailableException;

/**
 * One Ethereum node over HTTP JSON-RPC through Web3j, with this project's error mapping: the node not answering
 * (connect or read timeout, refused connection, any non-2xx HTTP status) is {@link ChainUnavailableException}; a
 * JSON-RPC error from a transaction call is {@link ChainRejectedException} with the reason its message tells; and the
 * node's chain id is checked, once, before the first call that relies on it.
 */
final class JsonRpcNode {

    private final URI rpcUrl;
    private final long expectedChainId;
    private final OkHttpClient http;
    private final Web3j web3j;
    private volatile boolean chainIdChecked;

    JsonRpcNode(URI rpcUrl, long expectedChainId, RpcAuth auth, RpcTimeouts timeouts) {
        this.rpcUrl = Objects.requireNonNull(rpcUrl, "rpcUrl");
        if (expectedChainId <= 0) {
            throw new IllegalArgumentException("chain id must be positive: " + expectedChainId);
        }
        this.expectedChainId = expectedChainId;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(timeouts.connect().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeouts.read().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(timeouts.read().toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(timeouts.connect().plus(timeouts.read()).toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        Objects.requireNonNull(auth, "auth").interceptor().ifPresent(builder::addInterceptor);
        builder.addInterceptor(new StatusCheck());
        this.http = builder.build();
        this.web3j = Web3j.build(new HttpService(rpcUrl.toString(), http));
    }

    URI rpcUrl() {
        return rpcUrl;
    }

    long expectedChainId() {
        return expectedChainId;
    }

    Web3j web3j() {
        return web3j;
    }

    /** Sends a read call; a JSON-RPC error on it is the node misbehaving, so it is reported as unavailable. */
    <T extends org.web3j.protocol.core.Response<?>> T read(Request<?, T> request, String what) {
        T response = send(request, what);
        if (response.hasError()) {
            throw new ChainUnavailableException(what + " failed at " + rpcUrl + ": " + response.getError().getCode()
                    + " " + response.getError().getMessage());
        }
        return response;
    }

    /** Sends a call whose JSON-RPC error is a refusal of the transaction ({@link #rejection}). */
    <T extends org.web3j.protocol.core.Response<?>> T transact(Request<?, T> request, String what) {
        T response = send(request, what);
        if (response.hasError()) {
            throw rejection(response.getError().getMessage(), response.getError().getData());
        }
        return response;
    }

    <T extends org.web3j.protocol.core.Response<?>> T send(Request<?, T> request, String what) {
        checkChainId();
        return sendUnchecked(request, what);
    }

    private <T extends org.web3j.protocol.core.Response<?>> T sendUnchecked(Request<?, T> request, String what) {
        try {
            return request.send();
        } catch (InterruptedIOException e) {
            throw new ChainUnavailableException(what + ": no answer from " + rpcUrl + " in time (" + e + ")", e);
        } catch (IOException | ClientConnectionException e) {
            throw new ChainUnavailableException(what + ": node " + rpcUrl + " unreachable (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses to work with a node of another chain (a mainnet key sent to a testnet, or the reverse): checked on the
     * first call, since connecting must not block.
     */
    void checkChainId() {
        if (chainIdChecked) {
            return;
        }
        var response = sendUnchecked(web3j.ethChainId(), "eth_chainId");
        if (response.hasError()) {
            throw new ChainUnavailableException("eth_chainId failed at " + rpcUrl + ": " + response.getError().getMessage());
        }
        BigInteger actual = response.getChainId();
        if (actual == null || actual.longValueExact() != expectedChainId) {
            throw new IllegalStateException("the node at " + rpcUrl + " is on chain " + actual + ", expected chain "
                    + expectedChainId + ": refusing to sign or send anything to it");
        }
        chainIdChecked = true;
    }

    /**
     * Maps a node's refusal to a reason. Wording differs between nodes (geth, anvil, Erigon, AMB's geth); each
     * reason is matched on the phrases they use.
     */
    static ChainRejectedException rejection(String message, Object data) {
        String text = message == null ? "" : message;
        String lower = text.toLowerCase(Locale.ROOT);
        ChainRejectedException.Reason reason;
        if (lower.contains("already known") || lower.contains("already imported")
                || lower.contains("known transaction") || lower.contains("already exists")) {
            reason = ChainRejectedException.Reason.ALREADY_KNOWN;
        } else if (lower.contains("nonce too low") || lower.contains("nonce is too low")) {
            reason = ChainRejectedException.Reason.NONCE_TOO_LOW;
        } else if (lower.contains("replacement transaction underpriced") || lower.contains("replacement underpriced")) {
            reason = ChainRejectedException.Reason.REPLACEMENT_UNDERPRICED;
        } else if (lower.contains("revert")) {
            reason = ChainRejectedException.Reason.REVERTED;
        } else if (lower.contains("underpriced") || lower.contains("fee cap") || lower.contains("base fee")
                || lower.contains("insufficient funds") || lower.contains("max fee per gas less than")
                || lower.contains("fee too low")) {
            reason = ChainRejectedException.Reason.FEE_TOO_LOW;
        } else {
            reason = ChainRejectedException.Reason.OTHER;
        }
        return new ChainRejectedException(reason, data == null ? text : text + " (data " + data + ")");
    }

    /** Releases pooled connections (Web3j's own shutdown is not called: nothing here schedules work on it). */
    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Any non-2xx status (5xx, 429 throttling, 401/403 of a misconfigured signature) is the node not serving us. */
    private static final class StatusCheck implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Response response = chain.proceed(chain.request());
            if (!response.isSuccessful()) {
                int code = response.code();
                String message = response.message();
                response.close();
                throw new IOException("HTTP " + code + " " + message);
            }
            return response;
        }
    }
}
