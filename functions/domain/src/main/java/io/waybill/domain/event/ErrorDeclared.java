package io.waybill.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A partner declared one of its earlier events erroneous (an EPCIS 2.0 event carrying {@code errorDeclaration}): a
 * correction of the ledger, not a duplicate of the erroneous event. It has its own id
 * ({@code <declaredEventId>#error-declared} before id bounding), so the event store neither absorbs it as a resend nor
 * dead-letters it as a reuse of the original id. Consumers that fold facts may ignore it; the erroneous event stays
 * stored as received (the ledger is append-only), and this event says it should no longer be believed.
 *
 * @param declaredEventId    the canonical id of the erroneous event under the same source
 * @param declaredSubject    the erroneous event's subject (an SSCC, GLN or GTIN), also this event's subject
 * @param declarationTime    when the partner declared the error (UTC)
 * @param reason             why: a CBV error reason ({@code incorrect_data}, {@code did_not_occur}) or the partner's
 *                           own URI; null when not given
 * @param correctiveEventIds the EPCIS ids of the events that correct it, as the partner sent them; empty if none
 */
public record ErrorDeclared(String declaredEventId, String declaredSubject, Instant declarationTime, String reason,
                            List<String> correctiveEventIds) implements EventData {
    /** The suffix of an error declaration's message id: {@code <declared id>#error-declared}. */
    public static final String ID_SUFFIX = "#error-declared";

    public ErrorDeclared {
        Objects.requireNonNull(declaredEventId, "declaredEventId");
        Objects.requireNonNull(declaredSubject, "declaredSubject");
        Objects.requireNonNull(declarationTime, "declarationTime");
        correctiveEventIds = correctiveEventIds == null ? List.of() : List.copyOf(correctiveEventIds);
    }

    @Override
    public String subject() {
        return declaredSubject;
    }
}
