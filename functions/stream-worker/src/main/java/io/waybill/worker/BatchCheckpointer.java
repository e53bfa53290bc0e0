package io.waybill.worker;

/**
 * Records that every record of a shard up to and including a sequence number is done. In the worker it wraps KCL's
 * {@code RecordProcessorCheckpointer}; tests record the calls.
 */
@FunctionalInterface
public interface BatchCheckpointer {

    /**
     * @param sequenceNumber sequence number of the last record done
     * @throws CheckpointFailedException if the checkpoint could not be written (e.g. the lease was lost)
     */
    void checkpoint(String sequenceNumber);

    /** The checkpoint was not written; the records after the previous checkpoint will be delivered again. */
    final class CheckpointFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CheckpointFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
