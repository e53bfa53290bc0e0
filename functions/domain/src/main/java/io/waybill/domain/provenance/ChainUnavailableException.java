package io.waybill.domain.provenance;

/**
 * The node (or the key service) did not answer: a timeout, a refused connection, a 5xx, a throttle. Nothing about
 * the transaction is known from it; the batch stays where it is and the next run goes on from its stored state.
 */
public class ChainUnavailableException extends RuntimeException {
    public ChainUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ChainUnavailableException(String message) {
        super(message);
    }
}
