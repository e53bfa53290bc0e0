package io.waybill.opsapi;

import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.normalize.RejectionReason;

/** Lists the dead-letter desk (entries without their payloads); one entry is the desk's own read. */
public interface DeadLetterReadModel {

    /**
     * @param reason  only this reason (oldest first), or null: every reason
     * @param adapter only letters rejected by this adapter, or null
     * @param status  only entries in this state, or null
     */
    record Filter(RejectionReason reason, String adapter, DeadLetterDesk.Status status) {
    }

    /** @throws PageTokenRefused when the token is not one of this list's with these filters */
    Page<DeadLetterDesk.Entry> list(Filter filter, String pageToken, int limit);
}
