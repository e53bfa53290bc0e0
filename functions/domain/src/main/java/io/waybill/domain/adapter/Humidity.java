package io.waybill.domain.adapter;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

/** Relative humidity in percent, 0..100. */
final class Humidity {
    private Humidity() {
    }

    static double requirePercent(double value, String field) {
        if (!(value >= 0 && value <= 100)) {
            throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, field + ": relative humidity " + value + " % is not in 0..100");
        }
        return value;
    }
}
