package io.waybill.anchor;

import io.waybill.domain.provenance.AnchorAttempt;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorJournal;
import io.waybill.domain.provenance.AnchorReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.EnumMap;
import java.util.Map;

/**
 * The engine's journal as structured JSON logs (one line per notable step, keyed by the batch root) and, per
 * invocation, one EMF document: EventsQueued, BatchesSealed, AnchorsBroadcast, AnchorsConfirmed, Rebroadcasts,
 * FeeBumps, Reorgs, NodeUnavailable, AnchorAlarms and the business metric EventsAnchored. Counts are kept between
 * {@link #flush()} calls (one handler invocation); not shared across threads.
 */
public final class AnchorTelemetry implements AnchorJournal {
    private static final Logger LOG = LoggerFactory.getLogger(AnchorTelemetry.class);

    enum Count { EventsQueued, BatchesSealed, AnchorsBroadcast, AnchorsConfirmed, Rebroadcasts, FeeBumps, Reorgs,
        NodeUnavailable, AnchorAlarms, EventsAnchored }

    private final Metrics metrics;
    private final Map<Count, Long> counts = new EnumMap<>(Count.class);

    /** @param metrics Powertools metrics, or null to log only (tests, the local runtime) */
    public AnchorTelemetry(Metrics metrics) {
        this.metrics = metrics;
    }

    private void add(Count c, long n) {
        counts.merge(c, n, Long::sum);
    }

    long count(Count c) {
        return counts.getOrDefault(c, 0L);
    }

    @Override
    public void queued(AnchorCandidate c) {
        add(Count.EventsQueued, 1);
    }

    @Override
    public void sealed(String root, int count) {
        add(Count.BatchesSealed, 1);
        LOG.info("anchor batch sealed root={} events={}", root, count);
    }

    @Override
    public void broadcast(String root, AnchorAttempt a) {
        add(Count.AnchorsBroadcast, 1);
        LOG.info("anchor sent root={} tx={} nonce={} maxFeePerGas={}", root, a.hash(), a.nonce(),
                a.fees().maxFeePerGas());
    }

    @Override
    public void rebroadcast(String root, AnchorAttempt a) {
        add(Count.Rebroadcasts, 1);
        LOG.info("anchor sent again (same bytes) root={} tx={} nonce={}", root, a.hash(), a.nonce());
    }

    @Override
    public void feeBump(String root, AnchorAttempt a) {
        add(Count.FeeBumps, 1);
        LOG.warn("anchor replaced with higher fees root={} tx={} nonce={} maxFeePerGas={} maxPriorityFeePerGas={}",
                root, a.hash(), a.nonce(), a.fees().maxFeePerGas(), a.fees().maxPriorityFeePerGas());
    }

    @Override
    public void reorganised(String root, AnchorChain.Inclusion lost) {
        add(Count.Reorgs, 1);
        LOG.warn("anchor inclusion lost to a reorganisation root={} tx={} block={} blockHash={}", root,
                lost == null ? null : lost.txHash(), lost == null ? -1 : lost.block(),
                lost == null ? null : lost.blockHash());
    }

    @Override
    public void confirmed(String root, AnchorReceipt r, int events) {
        add(Count.AnchorsConfirmed, 1);
        add(Count.EventsAnchored, events);
        LOG.info("anchor confirmed root={} tx={} block={} chainId={} events={}", root, r.tx(), r.block(),
                r.chainId(), events);
    }

    @Override
    public void nodeUnavailable(String during, RuntimeException cause) {
        add(Count.NodeUnavailable, 1);
        LOG.warn("node or key service unavailable during {}, batches wait: {}", during, cause.getMessage());
    }

    @Override
    public void alarm(String root, String message) {
        add(Count.AnchorAlarms, 1);
        LOG.error("anchor alarm root={}: {}", root, message);
    }

    /** Writes the EMF document of this invocation and starts counting again. */
    public void flush() {
        if (metrics != null) {
            for (Count c : Count.values()) {
                metrics.addMetric(c.name(), count(c), MetricUnit.COUNT);
            }
            metrics.flush();
        }
        counts.clear();
    }
}
