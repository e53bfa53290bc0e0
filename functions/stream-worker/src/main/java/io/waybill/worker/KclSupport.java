package io.waybill.worker;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.coordinator.DeletedStreamListProvider;
import software.amazon.kinesis.coordinator.streamInfo.StreamIdCache;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.lifecycle.TaskResult;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * KCL 3.5 plumbing shared by the {@link StreamWorker} and the local runtime's {@code KclEventSourceMapping}: the
 * eager lease sync and "no de-aggregation" (Lambda semantics). {@link LeaseTable} creates the lease table.
 */
public final class KclSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KclSupport.class);
    private static final long RETRY_MILLIS = 250;

    private KclSupport() {
    }

    /**
     * Runs KCL's own shard sync (a {@code ShardSyncTaskManager} task: the code KCL's leader runs to create the
     * leases) right after the scheduler started, instead of letting the scheduler wait for it. On an empty lease
     * table every KCL worker first waits a random 1-30 s before syncing ({@code Scheduler.shouldInitiateLeaseSync},
     * to spread the bootstrap of a fleet), re-checking the table every 3 s: once this sync created the leases, that
     * wait ends at its next check. The task needs KCL's JVM-wide {@code StreamIdCache}, which the scheduler
     * initializes during its start-up, polled every 250 ms until {@code timeout}. Lease creation is conditional
     * (create if not exists): safe when other workers sync too. If it never succeeds, the scheduler syncs itself,
     * the slow way. Blocks: call it on a thread of its own.
     *
     * @param leases       the scheduler's lease management configuration
     * @param streamConfig the stream's configuration (from the scheduler's stream tracker)
     * @param stopping     tells when to give up early (the consumer is closing)
     * @param timeout      how long to keep trying
     * @return whether the leases were synced
     */
    @SuppressWarnings("deprecation") // the 3-argument factory method is the one usable without KCL internals
    public static boolean syncLeases(LeaseManagementConfig leases, StreamConfig streamConfig, BooleanSupplier stopping,
                                     Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (!stopping.getAsBoolean() && System.nanoTime() - deadline < 0) {
            if (streamIdCacheReady()) {
                try {
                    TaskResult result = leases.leaseManagementFactory(new DynamoDBLeaseSerializer(), false)
                            .createShardSyncTaskManager(new NullMetricsFactory(), streamConfig,
                                    new DeletedStreamListProvider())
                            .callShardSyncTask();
                    if (result.getException() == null) {
                        return true;
                    }
                    last = result.getException();
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (!stopping.getAsBoolean()) {
            LOG.warn("eager KCL lease sync failed ({}): the scheduler syncs after its start-up wait",
                    String.valueOf(last));
        }
        return false;
    }

    /**
     * @return whether a scheduler initialized KCL's JVM-wide {@code StreamIdCache} (read-only probe of a KCL
     *         internal class; without it the shard sync task fails and logs an ERROR with a stack trace)
     */
    public static boolean streamIdCacheReady() {
        try {
            StreamIdCache.getInstance();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** @return an {@link AggregatorUtil} that leaves KPL-aggregated records as they are, as Lambda does */
    public static AggregatorUtil noDeaggregation() {
        return new NoDeaggregation();
    }

    private static final class NoDeaggregation extends AggregatorUtil {
        @Override
        public List<KinesisClientRecord> deaggregate(List<KinesisClientRecord> records, BigInteger startingHashKey,
                                                     BigInteger endingHashKey) {
            return records;
        }
    }
}
