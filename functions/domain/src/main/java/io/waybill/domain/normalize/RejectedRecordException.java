package io.waybill.domain.normalize;

import java.util.Objects;

/**
 * A permanent input error: this raw record can never become a canonical event as it is. Callers dead-letter it
 * with its raw payload; they never retry it. (Transient dependency failures are a different type.)
 */
public class RejectedRecordException extends RuntimeException {
    private final RejectionReason reason;

    public RejectedRecordException(RejectionReason reason, String detail) {
        super(detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectedRecordException(RejectionReason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectionReason reason() {
        return reason;
    }

    /** The human-readable detail, e.g. {@code "sscc "003456789012345676": check digit is 6, expected 0"}. */
    public String detail() {
        return getMessage();
    }
}
