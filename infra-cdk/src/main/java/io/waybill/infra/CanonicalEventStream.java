package io.waybill.infra;

import software.constructs.Construct;

/**
 * The canonical event stream {@code waybill-<stage>-canonical-events}: the ingest function publishes every event it
 * stored (and every duplicate it confirmed, so a publish lost after a store is repaired on redelivery), partitioned by
 * shipment; consumers read canonical events from it in order per shipment instead of normalising the raw stream again.
 * The cold-chain function is its first consumer. A week of retention ({@value #RETENTION_HOURS} hours) whatever the
 * raw stream keeps, capacity from the stage ({@code canonicalStreamShards}; absent = on-demand), its own
 * customer-managed key ({@code alias/waybill-<stage>-canonical-events}).
 */
public final class CanonicalEventStream extends EncryptedStream {
    /**
     * A week: a consumer's failing batch is retried until its records are almost that old ({@link StreamConsumer}),
     * so a consumer can be down (or wrong) for a week before a canonical event is given up.
     */
    public static final int RETENTION_HOURS = 168;

    public CanonicalEventStream(Construct scope, String id, StageConfig config) {
        super(scope, id, config, "canonical event stream", "canonical-events", RETENTION_HOURS,
                config.canonicalStreamShards());
    }
}
