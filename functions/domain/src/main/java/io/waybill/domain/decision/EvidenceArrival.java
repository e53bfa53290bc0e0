package io.waybill.domain.decision;

import io.waybill.domain.coldchain.ExposureEvidence;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A piece of evidence with the boundary times its event carried, and the decision that first took it into account:
 * the "decided" boundary of the latency chain device -> edge -> broker -> stream -> handler -> stored -> decided.
 *
 * @param evidence  the evidence
 * @param broker    when the broker received the event's message, if known
 * @param stream    when its record reached the stream, if known
 * @param decidedAt when the decision over it was made (set by the loop), or null before
 */
public record EvidenceArrival(ExposureEvidence evidence, Instant broker, Instant stream, Instant decidedAt) {
    public EvidenceArrival {
        Objects.requireNonNull(evidence, "evidence");
    }

    public EvidenceArrival decided(Instant at) {
        return new EvidenceArrival(evidence, broker, stream, at);
    }

    /** Stream arrival to decision, when both are known. */
    public OptionalLong streamToDecidedMs() {
        return stream == null || decidedAt == null ? OptionalLong.empty()
                : OptionalLong.of(Math.max(0, Duration.between(stream, decidedAt).toMillis()));
    }
}
