package io.waybill.aws.ops;

import io.waybill.domain.ops.ConsumerWatermarks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * How a stream consumer's handler advances its watermark after a batch: at most once, and best effort (a failure is
 * logged, never fails the batch: the lag it would have cleared shows on {@code /health} until the next batch).
 */
public final class ConsumerMarks {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerMarks.class);

    private ConsumerMarks() {
    }

    /** @param watermarks the store, or null when none is configured (nothing is recorded) */
    public static void advance(ConsumerWatermarks watermarks, String consumer, Instant newestArrival, Instant now) {
        if (watermarks == null) {
            return;
        }
        try {
            watermarks.advance(consumer, newestArrival, now);
        } catch (RuntimeException e) {
            LOG.warn("consumer watermark of {} not advanced to {}: {}", consumer, newestArrival, e.toString());
        }
    }

    /**
     * Advances each source's mark once (best effort, as above: a failure is logged and the next source tried).
     *
     * @param sources the store, or null when none is configured (nothing is recorded)
     */
    public static void advanceSources(io.waybill.domain.ops.SourceWatermarks sources,
                                      java.util.List<io.waybill.domain.ops.SourceWatermarks.Mark> marks) {
        if (sources == null) {
            return;
        }
        for (io.waybill.domain.ops.SourceWatermarks.Mark m : marks) {
            try {
                sources.advance(m);
            } catch (RuntimeException e) {
                LOG.warn("source watermark of {} not advanced to {}: {}", m.source(), m.lastEventAt(), e.toString());
            }
        }
    }
}
