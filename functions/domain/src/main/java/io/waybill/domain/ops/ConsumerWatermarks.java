package io.waybill.domain.ops;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How far each stream consumer has got: the stream arrival time (Kinesis {@code ApproximateArrivalTimestamp}) of the
 * newest record it has processed, and when it processed it. A consumer advances its mark at most once per batch; a
 * mark never moves back (a redelivered or older batch changes nothing). The ops API's {@code /health} reads them: a
 * consumer's lag is now minus its mark. Port; DynamoDB adapter in {@code functions/aws}.
 */
public interface ConsumerWatermarks {
    /**
     * One consumer's mark.
     *
     * @param consumer        the consumer's name, e.g. {@value #INGEST}
     * @param lastArrival     stream arrival of the newest record it processed
     * @param lastProcessedAt when it processed the batch holding that record
     */
    record Watermark(String consumer, Instant lastArrival, Instant lastProcessedAt) {
        public Watermark {
            Objects.requireNonNull(consumer, "consumer");
            Objects.requireNonNull(lastArrival, "lastArrival");
            Objects.requireNonNull(lastProcessedAt, "lastProcessedAt");
        }
    }

    /** The ingest function (raw telemetry stream). */
    String INGEST = "ingest";
    /** The cold-chain function (canonical event stream). */
    String COLDCHAIN = "coldchain";
    /** The KPI aggregator (canonical event stream). */
    String KPI_AGGREGATOR = "kpi-aggregator";
    /**
     * The stream worker: the ingest handler driven by a long-lived KCL worker (raw telemetry stream), marked when it
     * checkpoints a batch (the handler inside it marks {@value #INGEST} as in Lambda).
     */
    String STREAM_WORKER = "stream-worker";

    /** Raises the consumer's mark to {@code lastArrival} when it is newer than the stored one; else nothing. */
    void advance(String consumer, Instant lastArrival, Instant processedAt);

    /** Every consumer's mark (a handful of items). */
    List<Watermark> all();
}
