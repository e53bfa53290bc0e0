package io.waybill.worker;

/**
 * Where the metadata of a batch given up after its attempts goes, like a Lambda event source mapping's on-failure
 * destination (an SQS queue in the worker, see {@link SqsOnFailureDestination}; a list in tests).
 */
@FunctionalInterface
public interface OnFailureDestination {

    /**
     * @param json the on-failure record (Lambda's JSON shape: requestContext, responseContext, KinesisBatchInfo)
     * @throws RuntimeException if it could not be sent
     */
    void send(String json);

    /** No destination: the batch is logged (ERROR) and skipped, as Lambda does without a destination. */
    OnFailureDestination NONE = json -> { };
}
