package io.waybill.modelserver.deepar;

/** The request cannot be served as sent: a client error with an HTTP status (400, or 413 for size limits). */
public final class BadRequest extends RuntimeException {
    private final int status;

    public BadRequest(String message) {
        this(400, message);
    }

    public BadRequest(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
