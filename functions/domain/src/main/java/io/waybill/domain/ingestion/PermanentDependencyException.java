package io.waybill.domain.ingestion;

/**
 * A dependency (event store, projection store, dead-letter queue, claim-check bucket) refused a write for a reason
 * that will not pass by retrying the same request: a validation error (a key longer than the store allows, an item
 * or message over the size limit), a missing resource, an access or key-policy refusal. The record that caused it is
 * dead-lettered with the reason ({@link io.waybill.domain.normalize.RejectionReason#DEPENDENCY_REJECTED}) and the
 * rest of its batch goes on; retrying it would only hold the shard until the record expired from the stream.
 */
public class PermanentDependencyException extends RuntimeException {
    private final String dependency;
    private final String errorCode;

    /**
     * @param dependency what refused (e.g. {@code event store waybill-dev-events})
     * @param errorCode  the service's error code (e.g. {@code ValidationException}), or null
     * @param message    the service's message
     */
    public PermanentDependencyException(String dependency, String errorCode, String message, Throwable cause) {
        super(dependency + ": " + (errorCode != null ? errorCode + ": " : "") + message, cause);
        this.dependency = dependency;
        this.errorCode = errorCode;
    }

    public String dependency() {
        return dependency;
    }

    public String errorCode() {
        return errorCode;
    }
}
