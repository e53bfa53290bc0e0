package io.waybill.domain.ingestion;

import io.waybill.domain.event.CanonicalEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The boundary timestamps one stored event carries through the pipeline, for latency per boundary: device (its
 * clock), edge emission (the edge device's clock), broker receive (IoT rule), stream arrival (Kinesis), handler start
 * and stored (Waybill's clocks). The differences across devices' and Waybill's clocks include their skew, which
 * {@code clockskewms} reports.
 */
public record BoundaryTimes(Instant device, Instant edge, Instant broker, Instant stream, Instant handlerStart,
                            Instant stored) {

    public static BoundaryTimes of(CanonicalEvent e, Instant handlerStart, Instant stored) {
        return new BoundaryTimes(e.devicetime(), e.edgetime(), e.brokertime(), e.streamtime(), handlerStart, stored);
    }

    /** Edge emission to broker receive (including time in the edge's spool while the uplink was down). */
    public OptionalLong edgeToBrokerMs() {
        return between(edge, broker);
    }

    public OptionalLong brokerToStreamMs() {
        return between(broker, stream);
    }

    public OptionalLong streamToHandlerMs() {
        return between(stream, handlerStart);
    }

    public OptionalLong handlerToStoredMs() {
        return between(handlerStart, stored);
    }

    /** Broker receive to stored: the cloud side end to end, on Waybill's clocks only. */
    public OptionalLong brokerToStoredMs() {
        return between(broker, stored);
    }

    private static OptionalLong between(Instant from, Instant to) {
        return from == null || to == null ? OptionalLong.empty()
                : OptionalLong.of(Math.max(0, Duration.between(from, to).toMillis()));
    }
}
