package io.waybill.opsapi;

/** How many messages wait in the dead-letter queue (an approximate count the queue keeps; cheap to read). */
public interface DeadLetterGauge {
    /** The queue this gauge reads. */
    String queueUrl();

    /** @throws RuntimeException when the queue cannot be read */
    long approximateDepth();
}
