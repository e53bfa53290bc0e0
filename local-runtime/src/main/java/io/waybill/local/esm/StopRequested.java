package io.waybill.local.esm;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Unwinds a loop (a {@link ShardWorker}'s, a {@link LambdaBatchInvoker} delivery) when its stop signal fires; thrown
 * by {@link #pause}, caught by the loop's owner. No stack trace.
 */
final class StopRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StopRequested() {
        super(null, null, false, false);
    }

    /**
     * Sleeps, waking at once when {@code stopSignal} fires.
     *
     * @throws StopRequested if it fired (or the thread was interrupted, interrupt status kept)
     */
    static void pause(CountDownLatch stopSignal, Duration duration) {
        try {
            if (stopSignal.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StopRequested();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested();
        }
    }
}
