package io.waybill.domain.ingestion;

/**
 * A dependency (event store, projection store, dead-letter queue) failed in a way that may pass: throttling, a
 * timeout, a 5xx. The record is retried, never dead-lettered, because the record itself is fine.
 */
public class TransientDependencyException extends RuntimeException {
    private final String dependency;

    public TransientDependencyException(String dependency, String message, Throwable cause) {
        super(dependency + ": " + message, cause);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }
}
