package io.waybill.chain;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of every JSON-RPC call. Short by default: an unreachable node must make the batch wait (a
 * {@link io.waybill.domain.provenance.ChainUnavailableException}) well inside a Lambda invocation, not hang it.
 *
 * @param connect TCP connect timeout ({@link #DEFAULT_CONNECT}: 2 s)
 * @param read    socket read timeout, per call ({@link #DEFAULT_READ}: 10 s)
 */
public record RpcTimeouts(Duration connect, Duration read) {

    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_READ = Duration.ofSeconds(10);
    public static final RpcTimeouts DEFAULTS = new RpcTimeouts(DEFAULT_CONNECT, DEFAULT_READ);

    public RpcTimeouts {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(read, "read");
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive: connect " + connect + ", read " + read);
        }
    }
}
