package io.waybill.local.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A block every {@link #BLOCK_TIME} on the local anvil, as a real chain produces blocks whether or not anyone sends a
 * transaction. anvil automines one block per transaction and nothing else, so an anchor waiting for 2 confirmations
 * would wait for the next anchor forever. The stack keeps automine (its tests stop and start mining themselves through
 * {@link AnvilControl}); the demo, {@code ./waybill stack} and the benchmark run this ticker beside it: an empty block each second
 * ({@code evm_mine}), the local stand-in for a chain's block time.
 */
public final class BlockTicker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockTicker.class);
    /** One block a second: the confirmation depth of 2 is reached about a second after inclusion. */
    public static final Duration BLOCK_TIME = Duration.ofSeconds(1);

    private final ScheduledExecutorService schedule;
    private final java.util.concurrent.atomic.AtomicLong mined = new java.util.concurrent.atomic.AtomicLong();

    private BlockTicker(AnvilControl control, Duration every) {
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "waybill-local-block-ticker");
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleAtFixedRate(() -> {
            try {
                control.mine();
                mined.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.warn("local block ticker could not mine (the next tick retries): {}", e.toString());
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Mines an empty block on {@code node} every {@code every} until closed. */
    public static BlockTicker start(LocalEthereum node, Duration every) {
        Objects.requireNonNull(node, "node");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("block time must be positive: " + every);
        }
        return new BlockTicker(node.control(), every);
    }

    /** Blocks this ticker has mined so far. */
    public long blocksMined() {
        return mined.get();
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
