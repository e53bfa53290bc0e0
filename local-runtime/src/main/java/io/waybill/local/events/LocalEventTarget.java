package io.waybill.local.events;

/**
 * A target the local event bus delivers to in this JVM, registered under an ARN-like id (the id a rule's target names
 * as its {@code Arn}), e.g. the partner function's handler. Throwing is a failed delivery: retried per the target's
 * retry policy, then dead-lettered.
 */
@FunctionalInterface
public interface LocalEventTarget {
    /** @param eventJson the event as EventBridge delivers it (version, id, detail-type, source, ..., detail) */
    void accept(String eventJson) throws Exception;
}
