package io.waybill.aws.deadletter;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.ingestion.DeadLetterSink;

import java.util.Objects;

/**
 * Records each dead letter on the desk ({@link DeadLetterDesk}, the ops API's index) and then sends it to the queue
 * (still the alarmed queue and the CLI replay's source). The desk first: a failure there throws before the queue has
 * the letter, so the record is retried and both get it; a desk entry whose send then fails is written again, to the
 * same id, when the record is retried (the desk's put is idempotent).
 */
public final class DeskedDeadLetterSink implements DeadLetterSink {
    private final DeadLetterDesk desk;
    private final DeadLetterSink queue;

    public DeskedDeadLetterSink(DeadLetterDesk desk, DeadLetterSink queue) {
        this.desk = Objects.requireNonNull(desk, "desk");
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    @Override
    public void send(DeadLetter letter) {
        desk.record(letter);
        queue.send(letter);
    }
}
