package io.waybill.domain.ingestion.reference;

import io.waybill.domain.ingestion.CanonicalEventPublisher;
import io.waybill.domain.ingestion.DeadLetterSink;
import io.waybill.domain.ingestion.EventLedger;
import io.waybill.domain.ingestion.ShipmentStateStore;
import io.waybill.domain.ingestion.TransientDependencyException;

import java.util.Random;

/**
 * Wraps the ports of {@link io.waybill.domain.ingestion.BatchIngestion} so that they fail transiently at random
 * points: before a call reaches the store, or after it took effect with the answer lost (a timeout after the write),
 * and a publisher that publishes only a prefix. A budget bounds the faults so every batch finishes.
 */
public final class FlakyPorts {
    private final Random random;
    private final double probability;
    private int budget;
    private int injected;

    public FlakyPorts(long seed, double probability, int budget) {
        this.random = new Random(seed);
        this.probability = probability;
        this.budget = budget;
    }

    public synchronized int injected() {
        return injected;
    }

    private synchronized boolean fault() {
        if (budget > 0 && random.nextDouble() < probability) {
            budget--;
            injected++;
            return true;
        }
        return false;
    }

    private synchronized int below(int n) {
        return random.nextInt(n);
    }

    private static TransientDependencyException transientFailure(String dependency, String when) {
        return new TransientDependencyException(dependency, "injected " + when, null);
    }

    public EventLedger ledger(EventLedger real) {
        return (event, started) -> {
            if (fault()) {
                throw transientFailure("event store", "throttling");
            }
            EventLedger.Append a = real.append(event, started);
            if (fault()) {
                throw transientFailure("event store", "timeout after the write");
            }
            return a;
        };
    }

    public ShipmentStateStore shipments(ShipmentStateStore real) {
        return new ShipmentStateStore() {
            @Override
            public Versioned load(String sscc) {
                if (fault()) {
                    throw transientFailure("shipment projection", "read timeout");
                }
                return real.load(sscc);
            }

            @Override
            public boolean save(io.waybill.domain.projection.ShipmentState state, Long expectedVersion) {
                if (fault()) {
                    throw transientFailure("shipment projection", "throttling");
                }
                boolean saved = real.save(state, expectedVersion);
                if (fault()) {
                    throw transientFailure("shipment projection", "timeout after the write");
                }
                return saved;
            }
        };
    }

    public DeadLetterSink deadLetters(DeadLetterSink real) {
        return letter -> {
            if (fault()) {
                throw transientFailure("dead-letter queue", "unavailable");
            }
            real.send(letter);
            if (fault()) {
                throw transientFailure("dead-letter queue", "timeout after the send");
            }
        };
    }

    public CanonicalEventPublisher publisher(CanonicalEventPublisher real) {
        return events -> {
            if (!events.isEmpty() && fault()) {
                int published = below(events.size());
                real.publish(events.subList(0, published));
                return published;
            }
            return real.publish(events);
        };
    }
}
