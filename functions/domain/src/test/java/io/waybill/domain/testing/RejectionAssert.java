package io.waybill.domain.testing;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Asserts that a call is rejected for a given reason and gives access to the detail message. */
public final class RejectionAssert {
    private RejectionAssert() {
    }

    public static AbstractStringAssert<?> assertRejected(ThrowingCallable call, RejectionReason reason) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(RejectedRecordException.class);
        RejectedRecordException rejection = (RejectedRecordException) thrown;
        assertThat(rejection.reason()).as("reason for: %s", rejection.detail()).isEqualTo(reason);
        return assertThat(rejection.detail());
    }
}
