package io.waybill.domain.ingestion;

/** Where rejected records go (an SQS queue in AWS and locally). */
public interface DeadLetterSink {

    /** @throws TransientDependencyException when the queue could not take it; the record is then retried */
    void send(DeadLetter letter);
}
